/*
 * The scenario module's internals (scenario_source.c): a scenario's text read in place,
 * from memory or from a file through a window, and its layout (where each top-level
 * member, or each run of JSON Lines of one key, starts and ends). The loader
 * (scenario_load.c) decodes one record at a time from it with jansson, so no tree of
 * the whole document is ever built. Never installed.
 */
#ifndef VIPA_SCENARIO_INTERNAL_H
#define VIPA_SCENARIO_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "store_internal.h"

/* The largest single value decoded at once from a file (a record, a JSON line, the
 * profile): a file's window grows to hold it, and no further. */
#define VIPA__VALUE_MAX_BYTES ((size_t)1 << 28)

/* A scenario's text: memory (the caller's buffer) or a seekable file read through a
 * window that holds the value being decoded. */
typedef struct vipa__source {
    const vipa__allocator *alloc;
    const char *memory; /* memory source: the whole text; NULL for a file */
    FILE *file;         /* file source, borrowed */
    uint64_t size;      /* bytes in all */
    char *window;       /* file: bytes [window_at, window_at + window_len) */
    size_t window_len, window_cap;
    uint64_t window_at;
    int failed;         /* VIPA_OK, or the first VIPA_E_IO / VIPA_E_NOMEM / VIPA_E_LIMIT */
} vipa__source;

void vipa__source_memory(vipa__source *s, const vipa__allocator *a, const char *text, size_t length);
/* Opens a file to read without blocking (a FIFO without a writer would block); NULL
 * with errno set on failure. */
FILE *vipa__source_open(const char *path);
/* VIPA_OK, or VIPA_E_IO when the file cannot be sized (not a regular, seekable file). */
int vipa__source_file(vipa__source *s, const vipa__allocator *a, FILE *file);
void vipa__source_close(vipa__source *s);

/* The bytes [at, at + *got) in one piece, *got ≥ min(want, size - at); NULL (s->failed
 * set) when they cannot be read or would exceed VIPA__VALUE_MAX_BYTES. */
const char *vipa__source_span(vipa__source *s, uint64_t at, size_t want, size_t *got);

/* The byte at `at`, or -1 at the end (or on a failed read: check s->failed). */
int vipa__source_byte(vipa__source *s, uint64_t at);

/* The first offset at or after `at` that is not JSON whitespace (or s->size). */
uint64_t vipa__source_skip_space(vipa__source *s, uint64_t at);

/* The end of the line starting at `at`: the offset of its '\n', or s->size. */
uint64_t vipa__source_line_end(vipa__source *s, uint64_t at);

/* Line and column (1-based, columns counted in characters, as jansson counts them) of
 * the byte at `at`. Reads the text from its start: for messages only. */
void vipa__source_position(vipa__source *s, uint64_t at, int *line, int *column);

/* One member of the top level: `"key": value` of the scenario object (start, end the
 * value's bytes), or a run of consecutive JSON Lines of one key (start of its first
 * line, end of its last). */
typedef struct vipa__member {
    char *key;
    uint64_t start, end;
} vipa__member;

typedef struct vipa__layout {
    vipa__member *members; /* in the order of the text */
    size_t count, capacity;
    int lines;             /* 1: JSON Lines, one {"key": value} a line */
} vipa__layout;

/* Finds the members of the text without decoding their values: a value is skipped by
 * its brackets and strings (jansson decodes it later, and reports what is malformed in
 * it). VIPA_OK, or a code with a message in `why` ("line 3, column 7: ...").
 * A text of one object is a scenario; a text of several objects, one a line, each with
 * one key, is JSON Lines. */
int vipa__scan(vipa__source *s, vipa__layout *layout, char *why, size_t why_size);
void vipa__layout_free(vipa__layout *layout, const vipa__allocator *a);

/* The end of the JSON value starting at `at` (its last byte + 1), found by its
 * brackets and strings, the value standing within `depth` levels of the document's
 * nesting (1: a member of the top level). VIPA_OK, or VIPA_E_PARSE with `why`: a value
 * left open, a bracket closing the wrong kind or nesting beyond jansson's limit (with
 * jansson's own message), or the source's failure. */
int vipa__skip_value(vipa__source *s, uint64_t at, int depth, uint64_t *end, char *why,
                     size_t why_size);

/* Decodes the bytes [start, end) with jansson (duplicate keys refused, any value). On a
 * syntax error, `why` holds "line L, column C: <jansson's text>" with L, C counted in
 * the whole text. VIPA_OK, VIPA_E_PARSE, VIPA_E_NOMEM, or the source's failure. */
int vipa__decode(vipa__source *s, uint64_t start, uint64_t end, json_t **value, char *why,
                 size_t why_size);

#endif /* VIPA_SCENARIO_INTERNAL_H */
