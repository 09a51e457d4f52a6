#include "decode/opcodes.h"

#include <stddef.h>

static const ebb__opinfo table[EBB_OP_LIMIT_] = {
#define EBB__OP_INFO_(id, code, name, imm, sig, size) [code] = {name, sig, EBB_IMM_##imm, size},
    EBB_OPCODE_LIST(EBB__OP_INFO_)
#undef EBB__OP_INFO_
};

const ebb__opinfo *ebb__opinfo_get(unsigned op) {
  static const ebb__opinfo none = {NULL, NULL, 0, 0};
  return op < EBB_OP_LIMIT_ ? &table[op] : &none;
}
