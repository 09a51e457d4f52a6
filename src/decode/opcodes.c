#include "decode/opcodes.h"

#include <stddef.h>

/* One more entry than ops: the last is every number past them. */
const ebb__opinfo ebb__opinfo_table[EBB_OP_LIMIT_ + 1] = {
#define EBB__OP_INFO_(id, code, name, imm, sig, size) [code] = {name, sig, EBB_IMM_##imm, size},
    EBB_OPCODE_LIST(EBB__OP_INFO_)
#undef EBB__OP_INFO_
};
