#!/usr/bin/env bash
# stdio.sh EBB STDIO_RIGHTS_WASM EXPECTED_DIR -- borrowed stdio cannot be
# used to reach or change anything beyond reading and writing it
# (c/stdio_rights.c; its report, on stderr, must equal
# EXPECTED_DIR/stdio_MODE.stderr), and nothing the guest tried shows on the
# host afterwards:
#   dir     stdin redirected from a directory, no --dir: nothing in it can be
#           opened, listed, created or removed
#   file    stdin a read-only file: its mtime and size are unchanged
#   append  stdout a file: the shared open file description has no O_APPEND
#           after ebb exits, and the guest's write landed
set -u
ebb=$1 wasm=$2 expected=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ebb-stdio.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=1; }
check_report() { # MODE STATUS
  [ "$2" = 0 ] || fail "$1: exit status $2"
  if ! diff -u "$expected/stdio_$1.stderr" "$tmp/err"; then fail "$1: unexpected report"; fi
}

# A directory as stdin.
mkdir "$tmp/d"
printf 'inside\n' >"$tmp/d/inside.txt"
"$ebb" run -- "$wasm" dir <"$tmp/d" >/dev/null 2>"$tmp/err"
check_report dir $?
[ "$(ls -A "$tmp/d")" = inside.txt ] || fail "dir: the directory changed: $(ls -A "$tmp/d")"
[ "$(cat "$tmp/d/inside.txt")" = inside ] || fail "dir: inside.txt changed"

# A read-only file as stdin, with an old mtime.
printf 'stdin data\n' >"$tmp/f"
touch -d '2020-01-02 03:04:05' "$tmp/f"
before=$(stat -c '%s %Y %X' "$tmp/f")
"$ebb" run -- "$wasm" file <"$tmp/f" >/dev/null 2>"$tmp/err"
check_report file $?
after=$(stat -c '%s %Y %X' "$tmp/f")
# atime may move by the read; size and mtime must not.
[ "${before% *}" = "${after% *}" ] || fail "file: size or mtime changed: $before -> $after"
[ "${after##* }" -ge 1577934245 ] || fail "file: atime went back: $after"

# A file as stdout, through a descriptor of this shell, whose flags are
# looked at after ebb exits.
exec 7>"$tmp/o"
"$ebb" run -- "$wasm" append >&7 2>"$tmp/err"
check_report append $?
flags=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$$/fdinfo/7")
exec 7>&-
if [ -z "$flags" ]; then
  fail "append: cannot read the descriptor's flags"
elif (((8#$flags) & 8#2000)); then
  fail "append: O_APPEND is set on the shared description after ebb (flags $flags)"
fi
[ "$(cat "$tmp/o")" = written ] || fail "append: the guest's write is missing"

[ "$fails" = 0 ] || exit 1
echo "ok: stdio rights"
