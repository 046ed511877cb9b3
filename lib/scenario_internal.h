/*
 * The scenario module's internals (scenario_source.c): a scenario's text read in place,
 * from memory or from a file through a window, and its layout (where each top-level
 * member, or each run of JSON Lines of one key, starts and ends). The loader
 * (scenario_load.c) decodes one record at a time from it with jansson, so no tree of
 * the whole document is ever built. And the JSON writer (scenario_json.c) that the
 * exporter and the report write their text with. Never installed.
 */
#ifndef VIPA_SCENARIO_INTERNAL_H
#define VIPA_SCENARIO_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "store_internal.h"
#include "vipa/area.h"
#include "vipa/date.h"
#include "vipa/compare.h"
#include "vipa/run.h"

/* The largest single value decoded at once from a file (a record, a JSON line, the
 * profile): a file's window grows to hold it, and no further. */
#define VIPA__VALUE_MAX_BYTES ((size_t)1 << 28)

/* A text whose top level is not an object is decoded whole, as jansson tells it, up to
 * this size; a larger one is told by its first character. */
#define VIPA__WHOLE_TEXT_BYTES ((uint64_t)1 << 20)

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

/* ---- the JSON writer (scenario_json.c) ---------------------------------------------- */

/* The scenario (scenario_export.c) and the report (scenario_report.c) are written as
 * they go, never as a tree of the whole text: a value at a time, in the layout jansson's
 * dump gives (JSON_COMPACT, or JSON_INDENT(2) when pretty; keys in the order written).
 * The writer's first failure sticks: later writes do nothing, so the writers of records
 * need no error plumbing, and the code comes out at the end (vipa__json_end).
 *
 * Two modes. Buffer mode: the whole text in one block handed to the caller
 * (vipa__handed_resize, freed with vipa_free()), with an optional limit on its length.
 * Sink mode: a fixed block of VIPA__JSON_SINK_BYTES given to a function of the caller
 * each time it fills and at the end, so memory stays the same whatever the length. */

/* The deepest nesting written (the report's subject of a failed check is 8 deep). */
#define VIPA__JSON_MAX_DEPTH 16

/* The block of sink mode, as vipa_report_write() documents it. */
#define VIPA__JSON_SINK_BYTES ((size_t)1 << 16)

/* Options of the writer. */
enum {
    VIPA__JSON_PRETTY = 1,   /* two-space indent and ": " after keys; else compact */
    VIPA__JSON_UPPER_HEX = 2 /* \u escapes in upper-case hex ("\u001F"), as jansson's dump */
};

/* Sink mode's output: the next `length` bytes of the text; 0, or non-zero to stop
 * (the writer then fails with VIPA_E_IO and calls it no more). vipa_write_fn's shape. */
typedef int (*vipa__json_sink)(void *opaque, const char *bytes, size_t length);

typedef struct vipa__json {
    const vipa__allocator *alloc;
    char *data;              /* buffer mode: the text (handed); sink mode: the block */
    size_t length, capacity; /* bytes in data, and its size */
    size_t limit;            /* buffer mode: the longest text allowed */
    const char *limit_why;   /* the message when it would be longer */
    vipa__json_sink sink;    /* NULL in buffer mode */
    void *opaque;            /* the sink's */
    unsigned options;        /* VIPA__JSON_* */
    int depth;
    int first[VIPA__JSON_MAX_DEPTH]; /* no element written yet in the container at a depth */
    int rc;                  /* the first failure; once set, writes do nothing */
    const char *why;         /* what failed, for a context's message */
} vipa__json;

/* Starts a text in buffer mode; limit 0 means none, else a longer text fails with
 * VIPA_E_LIMIT and the message limit_why (static). */
void vipa__json_to_buffer(vipa__json *w, const vipa__allocator *a, unsigned options, size_t limit,
                          const char *limit_why);

/* Starts a text in sink mode with a block of `block` bytes (≥ 1; allocated here:
 * VIPA_E_NOMEM sticks on failure): the sink gets `block` bytes a call, the last call
 * the rest. */
void vipa__json_to_sink(vipa__json *w, const vipa__allocator *a, unsigned options, size_t block,
                        vipa__json_sink sink, void *opaque);

/* Ends the text: buffer mode hands it NUL-terminated in *text (its length in *length,
 * the NUL not counted); sink mode gives the rest to the sink (text and length unused,
 * may be NULL). Frees what the writer holds either way. VIPA_OK or the first failure
 * (*text NULL and *length 0 then). */
int vipa__json_end(vipa__json *w, char **text, size_t *length);

/* Fails the text with rc (once: the first failure stays); `why` static. */
void vipa__json_fail(vipa__json *w, int rc, const char *why);

/* Bytes as they are, with no escaping or layout. */
void vipa__json_raw(vipa__json *w, const char *bytes, size_t n);

/* Before an element of an array: the comma and, pretty, the new line. */
void vipa__json_item(vipa__json *w);

/* Before a member's value: the item's layout and "key": (keys are static ASCII names
 * with nothing to escape). */
void vipa__json_key(vipa__json *w, const char *key);

/* '{' or '[' and its closing '}' or ']'. */
void vipa__json_open(vipa__json *w, char bracket);
void vipa__json_close(vipa__json *w, char bracket);

void vipa__json_null(vipa__json *w);
void vipa__json_int(vipa__json *w, long long value);
void vipa__json_bool(vipa__json *w, int value);

/* Ids, weights and counts: above INT64_MAX fails with VIPA_E_RANGE, as JSON integers
 * are read as signed 64-bit (a wrapped value would name another record). */
void vipa__json_uint(vipa__json *w, uint64_t value);

/* Text as a JSON string, NULL as null. The UTF-8 is checked first (VIPA_E_INVALID: a
 * damaged text, a library bug). The quote, the backslash and the C0 controls are
 * escaped: \b \t \n \f \r, the others \u00XX (upper-case hex with
 * VIPA__JSON_UPPER_HEX); everything else, UTF-8 included, as it is. */
void vipa__json_text(vipa__json *w, const char *text);

/* Money (and land in 0.01 mu) as decimal text with two decimals, never a JSON number;
 * an area code as its 12 digits; a date as "YYYY-MM-DD". A code or date that is none
 * fails with VIPA_E_INVALID (a damaged record, a library bug). */
void vipa__json_fen(vipa__json *w, vipa_fen amount);
void vipa__json_code(vipa__json *w, vipa_area_code code);
void vipa__json_date(vipa__json *w, vipa_date date);

/* Members: the key and the value in one call. */
void vipa__json_member_int(vipa__json *w, const char *key, long long value);
void vipa__json_member_id(vipa__json *w, const char *key, uint64_t id);
void vipa__json_member_bool(vipa__json *w, const char *key, int value);
void vipa__json_member_text(vipa__json *w, const char *key, const char *text);
void vipa__json_member_fen(vipa__json *w, const char *key, vipa_fen amount);
void vipa__json_member_code(vipa__json *w, const char *key, vipa_area_code code);
void vipa__json_member_date(vipa__json *w, const char *key, vipa_date date);

/* The report's stamp member ("stamp": {...}) and one row of a table as the report writes
 * it, an element of an array (y: the year index of a year table; unused otherwise), for
 * the comparison, which shows each side's row as the report does (scenario_report.c).
 * The writer's options for report flags: vipa__report_options. */
void vipa__report_stamp(vipa__json *w, const vipa_result *r);
void vipa__report_row(vipa__json *w, const vipa_result *r, vipa_table table, size_t y, size_t i);
unsigned vipa__report_options(unsigned int flags);

/* vipa_report_write() (scenario_report.c) with a block of `block` bytes instead of
 * VIPA__JSON_SINK_BYTES: the tests' way to cut the text at every place. Its NULL
 * arguments and flags are vipa_report_write()'s; a block of 0 is VIPA_E_INVALID. */
int vipa__report_write(const vipa_result *result, unsigned int flags, size_t block,
                       vipa__json_sink write, void *opaque);

#endif /* VIPA_SCENARIO_INTERNAL_H */
