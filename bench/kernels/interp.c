/* interp: a small register-machine bytecode interpreter (switch dispatch)
 * running a program that sums the Collatz stopping times of 1..LIMIT.
 * Measures: the guest's own dispatch loop -- an indirect branch (br_table)
 * per virtual instruction, struct loads from a code array, 64-bit register
 * file in linear memory, unpredictable branches. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LIMIT 300000u
#define EXPECTED_STEPS 35669725ull
#define EXPECTED_EXECUTED 227047548ull

enum op {
    OP_LOADI,  /* r[a] = imm */
    OP_MOV,    /* r[a] = r[b] */
    OP_ADD,    /* r[a] = r[b] + r[c] */
    OP_ADDI,   /* r[a] = r[b] + imm */
    OP_MUL,    /* r[a] = r[b] * r[c] */
    OP_ANDI,   /* r[a] = r[b] & imm */
    OP_SHRI,   /* r[a] = r[b] >> imm */
    OP_JMP,    /* pc = imm */
    OP_JZ,     /* if r[a] == 0: pc = imm */
    OP_JEQ,    /* if r[a] == r[b]: pc = imm */
    OP_JLT,    /* if r[a] <  r[b]: pc = imm */
    OP_HALT
};

struct insn {
    uint8_t op, a, b, c;
    int32_t imm;
};

static volatile uint32_t input_limit = LIMIT;

static uint64_t run(const struct insn *code, uint64_t *r, uint64_t *executed)
{
    uint32_t pc = 0;
    uint64_t count = 0;
    for (;;) {
        const struct insn *i = &code[pc++];
        count++;
        switch (i->op) {
        case OP_LOADI: r[i->a] = (uint64_t)(int64_t)i->imm; break;
        case OP_MOV:   r[i->a] = r[i->b]; break;
        case OP_ADD:   r[i->a] = r[i->b] + r[i->c]; break;
        case OP_ADDI:  r[i->a] = r[i->b] + (uint64_t)(int64_t)i->imm; break;
        case OP_MUL:   r[i->a] = r[i->b] * r[i->c]; break;
        case OP_ANDI:  r[i->a] = r[i->b] & (uint64_t)(int64_t)i->imm; break;
        case OP_SHRI:  r[i->a] = r[i->b] >> (i->imm & 63); break;
        case OP_JMP:   pc = (uint32_t)i->imm; break;
        case OP_JZ:    if (r[i->a] == 0) pc = (uint32_t)i->imm; break;
        case OP_JEQ:   if (r[i->a] == r[i->b]) pc = (uint32_t)i->imm; break;
        case OP_JLT:   if (r[i->a] < r[i->b]) pc = (uint32_t)i->imm; break;
        case OP_HALT:  *executed = count; return r[2];
        default:       *executed = count; return ~0ull;
        }
    }
}

int main(void)
{
    /* registers: r0 = i, r1 = limit + 1, r2 = total steps, r3 = x,
     * r4 = scratch, r5 = 1, r6 = 3 */
    struct insn code[] = {
        /*  0 */ { OP_LOADI, 0, 0, 0, 1 },
        /*  1 */ { OP_LOADI, 1, 0, 0, 0 },   /* imm patched to limit + 1 */
        /*  2 */ { OP_LOADI, 2, 0, 0, 0 },
        /*  3 */ { OP_LOADI, 5, 0, 0, 1 },
        /*  4 */ { OP_LOADI, 6, 0, 0, 3 },
        /*  5 */ { OP_MOV,   3, 0, 0, 0 },   /* loop_i: x = i */
        /*  6 */ { OP_JEQ,   3, 5, 0, 16 },  /* loop_x: if x == 1 goto done */
        /*  7 */ { OP_ANDI,  4, 3, 0, 1 },
        /*  8 */ { OP_JZ,    4, 0, 0, 13 },  /* if x even goto even */
        /*  9 */ { OP_MUL,   3, 3, 6, 0 },   /* x = 3x + 1 */
        /* 10 */ { OP_ADDI,  3, 3, 0, 1 },
        /* 11 */ { OP_ADD,   2, 2, 5, 0 },   /* steps++ */
        /* 12 */ { OP_JMP,   0, 0, 0, 6 },
        /* 13 */ { OP_SHRI,  3, 3, 0, 1 },   /* even: x >>= 1 */
        /* 14 */ { OP_ADDI,  2, 2, 0, 1 },   /* steps++ */
        /* 15 */ { OP_JMP,   0, 0, 0, 6 },
        /* 16 */ { OP_ADDI,  0, 0, 0, 1 },   /* done: i++ */
        /* 17 */ { OP_JLT,   0, 1, 0, 5 },   /* if i < limit + 1 goto loop_i */
        /* 18 */ { OP_HALT,  0, 0, 0, 0 },
    };
    code[1].imm = (int32_t)(input_limit + 1u);

    uint64_t regs[8] = { 0 };
    uint64_t executed = 0;
    uint64_t steps = run(code, regs, &executed);
    int ok = (steps == EXPECTED_STEPS && executed == EXPECTED_EXECUTED);
    printf("interp: %llu steps, %llu insns %s\n", (unsigned long long)steps,
           (unsigned long long)executed, ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
