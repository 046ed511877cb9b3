/* The peers of the benchmark: the stream floor and SQLite, in this process (the numpy
 * peer is bench/peer_numpy.py, run by vipa-bench as a child process). */
#ifndef VIPA_BENCH_PEERS_H
#define VIPA_BENCH_PEERS_H

#include "answers.h"
#include "flat.h"

/* One sequential pass over the columns (stream.c). */
void stream_floor(const flat *f, answers *out);

/* Reads every byte of the columns once and does nothing else: the memory-bandwidth cost
 * of the same bytes, for reference (stream.c). */
uint64_t stream_read(const flat *f);

/* SQL in an in-memory SQLite (peer_sqlite.c): loads the tables (load_s), then runs the
 * computation as SQL and reads its rows back (compute_s). 0, or -1 with a message on
 * stderr. mem_bytes: SQLite's memory high-water mark. */
int sqlite_peer(const flat *f, answers *out, double *load_s, double *compute_s,
                double *compute_cpu_s, int64_t *mem_bytes);

/* Seconds of a monotonic clock, and of the process's CPU time. */
double bench_now(void);
double bench_cpu_now(void);

#endif /* VIPA_BENCH_PEERS_H */
