/* Text tables whose columns line up by display width (see width.c). Cells are stored
 * escaped (escape.c): a name from the scenario cannot send control sequences to the
 * terminal, and its width is that of what is shown. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>

#include "cli.h"

void cli_table_init(cli_table *t, size_t ncols, const char *const *heads, const char *align)
{
    t->ncols = ncols;
    t->heads = heads;
    t->align = align;
    t->cells = NULL;
    t->nrows = 0;
    t->cap = 0;
    t->failed = 0;
}

static int grow(cli_table *t)
{
    if (t->nrows < t->cap)
        return 0;
    size_t cap = t->cap == 0 ? 16 : t->cap * 2;
    char **cells = realloc(t->cells, cap * t->ncols * sizeof *cells);
    if (cells == NULL)
        return -1;
    t->cells = cells;
    t->cap = cap;
    return 0;
}

void cli_table_add(cli_table *t, const char *const *cells)
{
    if (t->failed || grow(t) != 0) {
        t->failed = 1;
        return;
    }
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t c = 0; c < t->ncols; c++) {
        row[c] = cli_escape(cells[c] == NULL ? "" : cells[c], 0);
        if (row[c] == NULL) {
            while (c-- > 0)
                free(row[c]);
            t->failed = 1;
            return;
        }
    }
    t->nrows++;
}

static void pad(FILE *out, size_t n)
{
    while (n-- > 0)
        fputc(' ', out);
}

/* One line: cells separated by two blanks. The line stops after its last non-empty
 * cell, so no line ends in blanks. */
static void print_row(FILE *out, const cli_table *t, const char *const *row, const size_t *w,
                      const char *indent)
{
    size_t end = t->ncols;
    while (end > 1 && row[end - 1][0] == '\0')
        end--;
    fputs(indent, out);
    for (size_t c = 0; c < end; c++) {
        size_t fill = w[c] - cli_display_width(row[c]);
        int last = c + 1 == end;
        if (t->align[c] == 'r')
            pad(out, fill);
        fputs(row[c], out);
        if (t->align[c] != 'r' && !last)
            pad(out, fill);
        if (!last)
            fputs("  ", out);
    }
    fputc('\n', out);
}

/* The headings and a rule of dashes under each column. */
static void print_heading(FILE *out, const cli_table *t, const size_t *w, const char *indent)
{
    print_row(out, t, t->heads, w, indent);
    fputs(indent, out);
    for (size_t c = 0; c < t->ncols; c++) {
        for (size_t i = 0; i < w[c]; i++)
            fputc('-', out);
        if (c + 1 < t->ncols)
            fputs("  ", out);
    }
    fputc('\n', out);
}

static void widths(const cli_table *t, size_t *w)
{
    for (size_t c = 0; c < t->ncols; c++)
        w[c] = t->heads == NULL ? 0 : cli_display_width(t->heads[c]);
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t cw = cli_display_width(t->cells[r * t->ncols + c]);
            w[c] = cw > w[c] ? cw : w[c];
        }
}

int cli_table_print(const cli_table *t, FILE *out, const char *indent)
{
    if (t->failed)
        return -1;
    size_t *w = malloc(t->ncols * sizeof *w);
    if (w == NULL)
        return -1;
    widths(t, w);
    if (t->heads != NULL)
        print_heading(out, t, w, indent);
    for (size_t r = 0; r < t->nrows; r++)
        print_row(out, t, (const char *const *)(t->cells + r * t->ncols), w, indent);
    free(w);
    return 0;
}

void cli_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    t->cells = NULL;
    t->nrows = t->cap = 0;
}
