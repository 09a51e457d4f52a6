# ebb.py -- a runtime adapter for the official WASI testsuite
# (https://github.com/WebAssembly/wasi-testsuite, branch prod/testsuite-base):
# how to run one test with `ebb run`. Loaded as a module by the suite's
# `run-tests -r`; scripts/wasi-testsuite/run.sh wraps that.
#
# EBB names the ebb command (default: `ebb` on PATH); it may carry options,
# e.g. EBB="build/ebb" or EBB="build/ebb --max-threads 64", which go after
# `run`. ebb implements WASI preview1 commands only: other WASI versions and
# worlds (wasip3, wasi:http/service) are not claimed, and the suite skips
# their tests.
import os
import shlex
import subprocess
from typing import Dict, List, Optional, Tuple

_CMD = shlex.split(os.getenv("EBB", "ebb"))
EBB, EBB_OPTIONS = _CMD[:1], _CMD[1:]


def get_name() -> str:
    return "ebb"


def get_version() -> str:
    # `ebb --version` prints "ebb 0.1.0".
    out = subprocess.run(EBB + ["--version"], encoding="UTF-8", capture_output=True,
                         check=True).stdout
    return out.split()[1]


def get_wasi_versions() -> List[str]:
    return ["wasm32-wasip1"]


def get_wasi_worlds() -> List[str]:
    return ["wasi:cli/command"]


def compute_argv(test_path: str,
                 args_env_root: Tuple[List[str], Dict[str, str], Optional[str]],
                 proposals: List[str],
                 wasi_world: str,
                 wasi_version: str) -> List[str]:
    if wasi_version != "wasm32-wasip1" or wasi_world != "wasi:cli/command" or proposals:
        raise ValueError(f"ebb runs wasm32-wasip1 commands without proposals, not "
                         f"{wasi_version} {wasi_world} {proposals}")
    args, env, root = args_env_root
    argv = EBB + ["run"] + EBB_OPTIONS
    for k, v in env.items():
        argv += ["--env", f"{k}={v}"]
    if root:
        argv += ["--dir", f"{root}::/"]
    # `--` ends ebb's options: test arguments may start with '-'.
    return argv + ["--", test_path] + args
