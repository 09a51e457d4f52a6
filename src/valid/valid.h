/*
** valid.h -- validation of a decoded module (spec 3 "Validation", with the
** threads proposal's shared memories and atomics; no SIMD yet).
**
** Bytes go decode -> validate -> compile: once ebb__validate returns 0 the
** compiler may trust every index, type and stack height in the module, and
** re-decode bodies with ebb__read_instr without checking them again.
*/
#ifndef EBB_VALID_VALID_H
#define EBB_VALID_VALID_H

#include "ebb.h"

typedef struct ebb__module ebb__module;

/* Validate m. Returns 0, EBB_EINVALID (a rule of the spec is broken; the
** message names the section or the function and byte offset, and contains
** the official test suite's phrase, e.g. "func 12 @0x4a1: type mismatch in
** i32.add"), EBB_EMALFORMED (an instruction in a body or constant expression
** is not well-formed; the decoder leaves those to us), EBB_ELIMIT (a body
** needs an operand stack deeper than ebb supports) or EBB_ENOMEM.
** Reentrant: m is only read and all state is local to the call. The bodies
** of a large module are validated on several threads (base/parallel.h). */
int ebb__validate(const ebb__module *m, ebb_error_t *err);

#endif
