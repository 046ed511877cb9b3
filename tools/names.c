/* The names a scenario gives its areas and entities, and the village of each household:
 * the library's result carries ids and codes only, and a page or a table people read
 * shows names beside them. Read with jansson out of the scenario text the library has
 * already accepted, so nothing here judges the input: what cannot be read is simply not
 * named. */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

/* ---- one record ---------------------------------------------------------------------- */

/* A 12-digit code string as a number, 0 when it is not one. */
static uint64_t code_of(json_t *obj, const char *key)
{
    vipa_area_code code = 0;
    const char *s = json_string_value(json_object_get(obj, key));
    if (s == NULL || vipa_area_code_parse(&code, s) != VIPA_OK)
        return 0;
    return code;
}

/* Makes room for one more item of @p size in *@p items (*@p n used, *@p cap allocated). */
static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t bigger = *cap == 0 ? 64 : *cap * 2;
    if (bigger > SIZE_MAX / size)
        return -1;
    void *p = realloc(*items, bigger * size);
    if (p == NULL)
        return -1;
    *items = p;
    *cap = bigger;
    return 0;
}

/* A copy of @p text into *@p out (NULL stays NULL); -1 when out of memory. */
static int copy_text(char **out, const char *text)
{
    *out = text == NULL ? NULL : strdup(text);
    return text != NULL && *out == NULL ? -1 : 0;
}

/* ---- the adders both readers use (a scenario's JSON, a database's rows) --------------- */

int report_names_add_area(report_names *names, uint64_t code, const char *name)
{
    if (code == 0 || name == NULL)
        return 0;
    if (grow((void **)&names->areas, &names->area_cap, names->narea, sizeof *names->areas) != 0)
        return -1;
    report_area *r = &names->areas[names->narea];
    r->code = code;
    if (copy_text(&r->name, name) != 0)
        return -1;
    names->narea++;
    return 0;
}

int report_names_add_entity(report_names *names, uint64_t id, uint64_t core, const char *name,
                            const char *kind, const char *industry)
{
    if (id == 0)
        return 0;
    if (grow((void **)&names->entities, &names->entity_cap, names->nentity,
             sizeof *names->entities) != 0)
        return -1;
    report_entity *r = &names->entities[names->nentity++];
    r->id = id;
    r->core = core;
    int rc = copy_text(&r->name, name);
    rc |= copy_text(&r->kind, kind);
    rc |= copy_text(&r->industry, industry);
    return rc;
}

int report_names_add_household(report_names *names, uint64_t id, uint64_t village)
{
    if (id == 0 || village == 0)
        return 0;
    if (grow((void **)&names->households, &names->household_cap, names->nhousehold,
             sizeof *names->households) != 0)
        return -1;
    names->households[names->nhousehold++] = (report_household){id, village};
    return 0;
}

int report_names_add_linkage(report_names *names, uint64_t id, uint64_t agreement)
{
    if (id == 0 || agreement == 0)
        return 0;
    if (grow((void **)&names->linkages, &names->linkage_cap, names->nlinkage,
             sizeof *names->linkages) != 0)
        return -1;
    names->linkages[names->nlinkage++] = (report_linkage){id, agreement};
    return 0;
}

int report_names_add_agreement(report_names *names, uint64_t id, uint64_t entity)
{
    if (id == 0)
        return 0;
    if (grow((void **)&names->agreements, &names->agreement_cap, names->nagreement,
             sizeof *names->agreements) != 0)
        return -1;
    names->agreements[names->nagreement++] = (report_agreement){id, entity};
    return 0;
}

int report_names_add_listing(report_names *names, uint64_t household, uint64_t agreement)
{
    if (household == 0 || agreement == 0)
        return 0;
    if (grow((void **)&names->listings, &names->listing_cap, names->nlisting,
             sizeof *names->listings) != 0)
        return -1;
    names->listings[names->nlisting++] = (report_listing){household, agreement};
    return 0;
}

/* ---- one record of a scenario's JSON ----------------------------------------------------- */

/* A positive JSON integer of @p obj's @p key, 0 otherwise. */
static uint64_t id_of(json_t *obj, const char *key)
{
    json_int_t v = json_integer_value(json_object_get(obj, key));
    return v > 0 ? (uint64_t)v : 0;
}

static const char *text_of(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static int add_area(report_names *names, json_t *a)
{
    return report_names_add_area(names, code_of(a, "code"), text_of(a, "name"));
}

static int add_entity(report_names *names, json_t *e)
{
    return report_names_add_entity(names, id_of(e, "id"), code_of(e, "core_village"),
                                   text_of(e, "name"), text_of(e, "kind"), text_of(e, "industry"));
}

static int add_household(report_names *names, json_t *h)
{
    return report_names_add_household(names, id_of(h, "id"), code_of(h, "village"));
}

static int add_linkage(report_names *names, json_t *l)
{
    return report_names_add_linkage(names, id_of(l, "id"), id_of(l, "agreement"));
}

static int add_agreement(report_names *names, json_t *a)
{
    uint64_t id = id_of(a, "id");
    if (id == 0)
        return 0;
    if (report_names_add_agreement(names, id, id_of(a, "entity")) != 0)
        return -1;
    json_t *list = json_object_get(a, "households");
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_int_t h = json_integer_value(json_array_get(list, i));
        if (report_names_add_listing(names, h > 0 ? (uint64_t)h : 0, id) != 0)
            return -1;
    }
    return 0;
}

/* The records of one key: a list of them (a scenario object), or one (a line of JSON
 * Lines, docs/scenario.md). */
static int add_records(report_names *names, json_t *value,
                       int (*add)(report_names *, json_t *))
{
    if (json_is_object(value))
        return add(names, value);
    for (size_t i = 0; i < json_array_size(value); i++)
        if (add(names, json_array_get(value, i)) != 0)
            return -1;
    return 0;
}

static int add_from(report_names *names, json_t *root, int households)
{
    if (add_records(names, json_object_get(root, "areas"), add_area) != 0 ||
        add_records(names, json_object_get(root, "entities"), add_entity) != 0)
        return -1;
    if (households && add_records(names, json_object_get(root, "households"), add_household) != 0)
        return -1;
    return 0;
}

/* ---- the lists, sorted for lookup ------------------------------------------------------ */

static int by_code(const void *a, const void *b)
{
    uint64_t x = ((const report_area *)a)->code, y = ((const report_area *)b)->code;
    return (x > y) - (x < y);
}

static int by_id(const void *a, const void *b)
{
    uint64_t x = ((const report_entity *)a)->id, y = ((const report_entity *)b)->id;
    return (x > y) - (x < y);
}

static int by_household(const void *a, const void *b)
{
    uint64_t x = ((const report_household *)a)->id, y = ((const report_household *)b)->id;
    return (x > y) - (x < y);
}

static int by_pair(const void *a, const void *b)
{
    const report_listing *x = a, *y = b;
    if (x->household != y->household)
        return (x->household > y->household) - (x->household < y->household);
    return (x->agreement > y->agreement) - (x->agreement < y->agreement);
}

/* The linkage and agreement lists begin with their id, as the household list does. */
static int by_first_id(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void sort_all(report_names *names)
{
    if (names->nlinkage > 0)
        qsort(names->linkages, names->nlinkage, sizeof *names->linkages, by_first_id);
    if (names->nagreement > 0)
        qsort(names->agreements, names->nagreement, sizeof *names->agreements, by_first_id);
    if (names->nlisting > 0)
        qsort(names->listings, names->nlisting, sizeof *names->listings, by_pair);
    if (names->narea > 0)
        qsort(names->areas, names->narea, sizeof *names->areas, by_code);
    if (names->nentity > 0)
        qsort(names->entities, names->nentity, sizeof *names->entities, by_id);
    if (names->nhousehold > 0)
        qsort(names->households, names->nhousehold, sizeof *names->households, by_household);
}

void report_names_sort(report_names *names)
{
    sort_all(names);
}

int report_names_read(report_names *names, const char *data, size_t length)
{
    memset(names, 0, sizeof *names);
    json_error_t error;
    json_t *root = json_loadb(data, length, 0, &error);
    if (root == NULL)
        return 0; /* the library read it; without names the page shows codes and ids */
    int rc = add_from(names, root, 0);
    json_decref(root);
    if (rc != 0)
        report_names_free(names);
    else
        sort_all(names);
    return rc;
}

/* ---- reading a stream a record at a time ----------------------------------------------
 *
 * A scenario of millions of records parsed whole by jansson takes ten times its size in
 * memory, and the names need three of its lists only. So the stream is scanned byte by
 * byte (strings and nesting tracked, nothing else judged: the library has accepted the
 * text), the values of other keys are skipped, and each record of "areas", "entities"
 * and "households" alone is handed to jansson: memory is that of one record and of the
 * names kept. The same scan reads JSON Lines, whose lines are objects of one key. */

/* The bytes of the record being read (NULL where a value is skipped). */
typedef struct capture {
    char *data;
    size_t len, cap;
    int failed; /* out of memory */
} capture;

static void keep(capture *k, int c)
{
    if (k == NULL || k->failed)
        return;
    if (k->len + 1 >= k->cap) {
        size_t cap = k->cap == 0 ? 4096 : k->cap * 2;
        char *p = realloc(k->data, cap);
        if (p == NULL) {
            k->failed = 1;
            return;
        }
        k->data = p;
        k->cap = cap;
    }
    k->data[k->len++] = (char)c;
}

static int next_byte(FILE *f, capture *k)
{
    int c = getc(f);
    if (c != EOF)
        keep(k, c);
    return c;
}

/* The next byte that is not a blank, or EOF. */
static int next_token(FILE *f)
{
    int c;
    while ((c = getc(f)) != EOF && isspace(c))
        ;
    return c;
}

/* The rest of a string whose opening quote was read. */
static int skip_string(FILE *f, capture *k)
{
    int c;
    while ((c = next_byte(f, k)) != EOF && c != '"')
        if (c == '\\' && next_byte(f, k) == EOF)
            return -1;
    return c == EOF ? -1 : 0;
}

/* The rest of a value whose first byte @p c was read (and kept); a scalar's end (a
 * comma, a bracket, a blank) is left unread. */
static int skip_value(FILE *f, capture *k, int c)
{
    if (c == '"')
        return skip_string(f, k);
    if (c == '{' || c == '[') {
        size_t depth = 1;
        while (depth > 0 && (c = next_byte(f, k)) != EOF) {
            if (c == '"' && skip_string(f, k) != 0)
                return -1;
            depth += c == '{' || c == '[';
            depth -= c == '}' || c == ']';
        }
        return depth == 0 ? 0 : -1;
    }
    while ((c = getc(f)) != EOF && strchr(",]} \t\r\n", c) == NULL)
        keep(k, c);
    if (c != EOF)
        ungetc(c, f);
    return 0;
}

/* One record whose first byte @p c was read, parsed alone and handed to @p add. */
static int read_record(FILE *f, report_names *names, capture *k, int c,
                       int (*add)(report_names *, json_t *))
{
    k->len = 0;
    keep(k, c);
    if (skip_value(f, k, c) != 0)
        return 1; /* the text ends early: nothing more to name */
    if (k->failed)
        return -1;
    json_error_t error;
    json_t *rec = json_loadb(k->data, k->len, 0, &error);
    int rc = rec == NULL ? 0 : add(names, rec);
    json_decref(rec);
    return rc;
}

/* The value of a kept key: a list of records, or one record (a line of JSON Lines).
 * Returns 0, 1 at a text it cannot follow, -1 when out of memory. */
static int read_records(FILE *f, report_names *names, capture *k,
                        int (*add)(report_names *, json_t *))
{
    int c = next_token(f);
    if (c != '[')
        return c == EOF ? 1 : read_record(f, names, k, c, add);
    for (;;) {
        c = next_token(f);
        if (c == ']')
            return 0;
        if (c == ',')
            continue;
        if (c == EOF)
            return 1;
        int rc = read_record(f, names, k, c, add);
        if (rc != 0)
            return rc;
    }
}

/* The key just read (its opening quote consumed) into @p key, cut to its size. */
static int read_key(FILE *f, char *key, size_t size)
{
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF && c != '"') {
        if (c == '\\')
            c = getc(f) == EOF ? EOF : '?'; /* an escaped key is none of ours */
        if (c == EOF)
            return -1;
        if (n + 1 < size)
            key[n++] = (char)c;
    }
    key[n] = '\0';
    return c == EOF ? -1 : 0;
}

/* The reader of the records of a top-level key, NULL for a key skipped. */
static int (*reader_of(const char *key))(report_names *, json_t *)
{
    static const struct {
        const char *key;
        int (*add)(report_names *, json_t *);
    } readers[] = {{"areas", add_area},       {"entities", add_entity},
                   {"households", add_household}, {"linkages", add_linkage},
                   {"agreements", add_agreement}};
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++)
        if (strcmp(key, readers[i].key) == 0)
            return readers[i].add;
    return NULL;
}

/* The members of one top-level object (its brace read). Returns 0 at its end, 1 at a
 * text it cannot follow, -1 when out of memory. */
static int read_object(FILE *f, report_names *names, capture *k)
{
    for (;;) {
        int c = next_token(f);
        if (c == '}')
            return 0;
        if (c == ',')
            continue;
        char key[16];
        if (c != '"' || read_key(f, key, sizeof key) != 0 || next_token(f) != ':')
            return 1;
        int (*add)(report_names *, json_t *) = reader_of(key);
        int rc = add != NULL ? read_records(f, names, k, add)
                             : ((c = next_token(f)) == EOF ? 1 : skip_value(f, NULL, c) != 0);
        if (rc != 0)
            return rc;
    }
}

int report_names_read_stream(report_names *names, FILE *f)
{
    memset(names, 0, sizeof *names);
    capture k = {NULL, 0, 0, 0};
    int rc = 0;
    /* One object (a scenario), or one a line (JSON Lines). */
    while (rc == 0 && next_token(f) == '{')
        rc = read_object(f, names, &k);
    free(k.data);
    if (rc < 0) {
        report_names_free(names);
        return -1;
    }
    sort_all(names); /* what was read before a text it could not follow is kept */
    return 0;
}

void report_names_free(report_names *names)
{
    for (size_t i = 0; i < names->narea; i++)
        free(names->areas[i].name);
    for (size_t i = 0; i < names->nentity; i++) {
        free(names->entities[i].name);
        free(names->entities[i].kind);
        free(names->entities[i].industry);
    }
    free(names->areas);
    free(names->entities);
    free(names->households);
    free(names->linkages);
    free(names->agreements);
    free(names->listings);
    memset(names, 0, sizeof *names);
}

/* ---- lookups ------------------------------------------------------------------------- */

const char *report_area_name(const report_names *names, uint64_t code)
{
    size_t lo = 0, hi = names->narea;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (names->areas[mid].code == code)
            return names->areas[mid].name;
        if (names->areas[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const report_entity *report_entity_find(const report_names *names, uint64_t id)
{
    size_t lo = 0, hi = names->nentity;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (names->entities[mid].id == id)
            return &names->entities[mid];
        if (names->entities[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

uint64_t report_household_village(const report_names *names, uint64_t id)
{
    size_t lo = 0, hi = names->nhousehold;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (names->households[mid].id == id)
            return names->households[mid].village;
        if (names->households[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The index of the item whose leading id is @p id in a list sorted by it, or @p n. */
static size_t find_by_id(const void *items, size_t n, size_t size, uint64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t at = *(const uint64_t *)((const char *)items + mid * size);
        if (at == id)
            return mid;
        if (at < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return n;
}

uint64_t report_linkage_agreement(const report_names *names, uint64_t id)
{
    size_t i = find_by_id(names->linkages, names->nlinkage, sizeof *names->linkages, id);
    return i < names->nlinkage ? names->linkages[i].agreement : 0;
}

const report_agreement *report_agreement_find(const report_names *names, uint64_t id)
{
    size_t i = find_by_id(names->agreements, names->nagreement, sizeof *names->agreements, id);
    return i < names->nagreement ? &names->agreements[i] : NULL;
}

void report_household_agreements(const report_names *names, uint64_t id, size_t *first, size_t *n)
{
    size_t lo = 0, hi = names->nlisting;
    while (lo < hi) { /* the first pair of the household */
        size_t mid = lo + (hi - lo) / 2;
        if (names->listings[mid].household < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < names->nlisting && names->listings[end].household == id)
        end++;
    *first = lo;
    *n = end - lo;
}
