/*
** simd_lanes.h -- the shapes of a lane-wise operation, shared by exec/simd.h
** (integer lanes) and exec/simd_float.h (float lanes): each expands to one
** function over every lane, r.F[i] = EXPR of x = a.F[i] (and y = b.F[i]).
** Included inside those headers only; each #undefs them at its end.
*/
#define EBB__V static inline ebb__v128

#define EBB__VUN(name, F, N, expr)                                                   \
  EBB__V ebb__v_##name(ebb__v128 a) {                                                \
    ebb__v128 r;                                                                     \
    for (int i = 0; i < N; i++) {                                                    \
      __typeof__(a.F[0]) x = a.F[i];                                                 \
      r.F[i] = (expr);                                                               \
    }                                                                                \
    return r;                                                                        \
  }
#define EBB__VBIN(name, F, N, expr)                                                  \
  EBB__V ebb__v_##name(ebb__v128 a, ebb__v128 b) {                                   \
    ebb__v128 r;                                                                     \
    for (int i = 0; i < N; i++) {                                                    \
      __typeof__(a.F[0]) x = a.F[i], y = b.F[i];                                     \
      r.F[i] = (expr);                                                               \
    }                                                                                \
    return r;                                                                        \
  }
/* Comparisons give all ones or all zeros per lane, in the unsigned field U. */
#define EBB__VCMP(name, F, U, N, op)                                                 \
  EBB__V ebb__v_##name(ebb__v128 a, ebb__v128 b) {                                   \
    ebb__v128 r;                                                                     \
    for (int i = 0; i < N; i++) r.U[i] = a.F[i] op b.F[i] ? (__typeof__(r.U[0]))-1 : 0; \
    return r;                                                                        \
  }
