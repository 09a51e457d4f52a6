/*
** baseline.c -- what the mailbox is measured against: the plain way two
** pthreads hand work over, a queue under a mutex with a condition variable.
** It does what a post does -- one allocation per item, freed by the
** consumer, which takes items one at a time -- and the round trip is one
** request and one response through the same mutex.
*/
#include <stdlib.h>

#include "bench.h"

/* ---- Throughput: producer -> queue -> consumer -------------------------- */

typedef struct node {
  struct node *next;
  long value;
} node;

typedef struct queue {
  pthread_mutex_t lock;
  pthread_cond_t nonempty;
  node *head, *tail;
  long n, count;
  int64_t began, done_at;
} queue;

static void *consume(void *p) {
  queue *q = p;
  while (q->count < q->n) {
    pthread_mutex_lock(&q->lock);
    while (!q->head) pthread_cond_wait(&q->nonempty, &q->lock);
    node *x = q->head;
    q->head = x->next;
    if (!q->head) q->tail = NULL;
    pthread_mutex_unlock(&q->lock);
    q->count += x->value;
    free(x);
  }
  q->done_at = ebb_now_ns();
  return NULL;
}

static void *produce(void *p) {
  queue *q = p;
  q->began = ebb_now_ns();
  for (long i = 0; i < q->n; i++) {
    node *x = malloc(sizeof *x);
    if (!x) abort();
    *x = (node){NULL, 1};
    pthread_mutex_lock(&q->lock);
    if (q->tail) q->tail->next = x;
    else q->head = x;
    q->tail = x;
    pthread_mutex_unlock(&q->lock);
    pthread_cond_signal(&q->nonempty);
  }
  return NULL;
}

double base_throughput(long n) {
  queue q = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, n, 0, 0, 0};
  pthread_t c, p;
  pthread_create(&c, NULL, consume, &q);
  pause_us(1000); /* the consumer waits first, as the guest spins first */
  pthread_create(&p, NULL, produce, &q);
  pthread_join(p, NULL);
  pthread_join(c, NULL);
  return n * 1e9 / (double)(q.done_at - q.began);
}

/* ---- Round trip: request, response ---------------------------------------- */

typedef struct exchange {
  pthread_mutex_t lock;
  pthread_cond_t asked, answered;
  int request, response, quit;
} exchange;

static void *respond(void *p) {
  exchange *x = p;
  pthread_mutex_lock(&x->lock);
  for (;;) {
    while (!x->request && !x->quit) pthread_cond_wait(&x->asked, &x->lock);
    if (x->quit) break;
    x->request = 0;
    x->response = 1;
    pthread_cond_signal(&x->answered);
  }
  pthread_mutex_unlock(&x->lock);
  return NULL;
}

pct base_round_trip(int n) {
  exchange x = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
                0, 0, 0};
  pthread_t r;
  pthread_create(&r, NULL, respond, &x);
  int64_t *lat = malloc(sizeof *lat * (size_t)n);
  if (!lat) abort();
  for (int i = -n / 10; i < n; i++) { /* the first tenth warms up */
    int64_t t0 = ebb_now_ns();
    pthread_mutex_lock(&x.lock);
    x.request = 1;
    pthread_cond_signal(&x.asked);
    while (!x.response) pthread_cond_wait(&x.answered, &x.lock);
    x.response = 0;
    pthread_mutex_unlock(&x.lock);
    if (i >= 0) lat[i] = ebb_now_ns() - t0;
  }
  pthread_mutex_lock(&x.lock);
  x.quit = 1;
  pthread_cond_signal(&x.asked);
  pthread_mutex_unlock(&x.lock);
  pthread_join(r, NULL);
  pct p = percentiles_us(lat, n);
  free(lat);
  return p;
}
