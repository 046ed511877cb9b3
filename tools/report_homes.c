/* Where each row of the action and notice sections lives in the linked pages of the
 * county report (docs/report.md, "Linked pages"): an entity's error findings, its
 * evaluations, its disclosure row and its warnings and notices together, on the page of
 * the town of its core village; a town's own warnings, notices and coverage rows on that
 * town's page; the "other" group and what has no town on action-other.html. Every row is
 * placed exactly once, so that a county official finds all of theirs on their pages and
 * nothing is cut for space. The single page does not use this: it lists every row in
 * one section per kind. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "report.h"

/* A row's target before the blocks are ordered: an entity (its index in
 * names->entities), the rest of a town (nentity + its index in places[]), or the rest of
 * action-other (nentity + nplace). */
typedef struct homes_ctx {
    report_homes *h;
    const report_model *m;
    const vipa_result *r;
    const report_names *names;
    size_t *count;  /* rows per target (pass 0) */
    size_t *next;   /* where the target's next row goes (pass 1) */
    size_t *block_of; /* block per target, SIZE_MAX when it has no row */
    int pass;
} homes_ctx;

static size_t ntarget(const homes_ctx *c)
{
    return c->names->nentity + c->m->nplace + 1;
}

static size_t other_target(const homes_ctx *c)
{
    return c->names->nentity + c->m->nplace;
}

/* The town whose page holds what concerns village or town @p code: its index in
 * places[], or nplace when the model has no such town (a code no area or household
 * names: action-other). */
static size_t town_set(const report_model *m, uint64_t code)
{
    if (vipa_area_code_level(code) == VIPA_AREA_NONE || code % 1000000 == 0)
        return m->nplace;
    const report_place *p = report_place_find(m, code / 1000 * 1000);
    return p != NULL && p->level == VIPA_AREA_TOWN ? (size_t)(p - m->places) : m->nplace;
}

static size_t entity_target(const homes_ctx *c, uint64_t id)
{
    const report_entity *e = id != 0 ? report_entity_find(c->names, id) : NULL;
    return e != NULL ? (size_t)(e - c->names->entities) : other_target(c);
}

static size_t area_target(const homes_ctx *c, uint64_t code)
{
    size_t set = town_set(c->m, code);
    return set < c->m->nplace ? c->names->nentity + set : other_target(c);
}

/* A warning's or notice's target: its entity by the grouping of the errors; else the
 * town of the village, town or household it concerns; else action-other. */
static size_t notice_target(const homes_ctx *c, vipa_subject_kind kind, uint64_t id)
{
    uint64_t entity = 0, agreement = 0;
    report_finding_group(c->m, c->names, kind, id, &entity, &agreement);
    if (entity != 0)
        return entity_target(c, entity);
    if (kind == VIPA_SUBJECT_VILLAGE || kind == VIPA_SUBJECT_TOWN)
        return area_target(c, id);
    if (kind == VIPA_SUBJECT_HOUSEHOLD) {
        uint64_t village = report_household_village(c->names, id);
        return village != 0 ? area_target(c, village) : other_target(c);
    }
    return other_target(c);
}

/* Pass 0 counts the row of @p target, pass 1 puts it in its place. */
static void put(homes_ctx *c, size_t target, int part, size_t a, size_t b)
{
    if (c->pass == 0) {
        c->count[target]++;
        return;
    }
    report_row *row = &c->h->rows[c->next[target]++];
    row->a = a;
    row->b = b;
    row->part = part;
    c->h->blocks[c->block_of[target]].parts[part]++;
}

/* Every row, in the order of the single page within its kind: errors in the action
 * section's order, evaluations and coverage by year, disclosure as listed, warnings
 * before notices. Counting sort keeps this order within each block. */
static void visit_rows(homes_ctx *c)
{
    const report_model *m = c->m;
    const vipa_result *r = c->r;
    for (size_t k = 0; k < m->nactions; k++)
        put(c, entity_target(c, m->actions[k].entity), REPORT_PART_ERRORS, k, 0);
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y); i++) {
            vipa_id agreement = 0, entity = 0;
            vipa_date date;
            int recheck;
            vipa_outcome out;
            if (vipa_result_year_evaluation(&agreement, &entity, &date, &recheck, &out, r, y, i) == VIPA_OK)
                put(c, entity_target(c, entity), REPORT_PART_EVALUATIONS, y, i);
        }
    for (size_t i = 0; i < vipa_result_disclosure_count(r); i++) {
        vipa_id id = 0;
        vipa_fen equity;
        size_t households;
        if (vipa_result_disclosure(&id, &equity, &households, r, i) == VIPA_OK)
            put(c, entity_target(c, id), REPORT_PART_DISCLOSURE, i, 0);
    }
    const vipa_findings *f = vipa_result_findings(r);
    for (int sev = VIPA_SEVERITY_WARNING; sev >= VIPA_SEVERITY_NOTICE; sev--)
        for (size_t i = 0; i < vipa_findings_count(f); i++)
            if ((int)vipa_finding_severity(f, i) == sev)
                put(c, notice_target(c, vipa_finding_subject_kind(f, i), vipa_finding_subject_id(f, i)),
                    REPORT_PART_NOTICES, i, 0);
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        for (size_t i = 0; i < vipa_result_year_coverage_count(r, y); i++) {
            vipa_area_code village = 0;
            size_t willing, covered;
            if (vipa_result_year_coverage(&village, &willing, &covered, r, y, i) == VIPA_OK)
                put(c, area_target(c, village), REPORT_PART_COVERAGE, y, i);
        }
}

/* Blocks by set; within one, entities with errors by owed (the action section's order),
 * then the other entities likewise, the set's rest last. */
static int block_order(const void *pa, const void *pb)
{
    const report_block *a = pa, *b = pb;
    if (a->set != b->set)
        return a->set < b->set ? -1 : 1;
    return report_block_rank(a, b);
}

int report_block_rank(const report_block *a, const report_block *b)
{
    if ((a->entity == 0) != (b->entity == 0))
        return a->entity == 0 ? 1 : -1;
    if ((a->parts[REPORT_PART_ERRORS] > 0) != (b->parts[REPORT_PART_ERRORS] > 0))
        return a->parts[REPORT_PART_ERRORS] > 0 ? -1 : 1;
    if (a->owed != b->owed)
        return a->owed > b->owed ? -1 : 1;
    return (a->entity > b->entity) - (a->entity < b->entity);
}

/* One block per target with rows (its parts counted in pass 1). */
static int make_blocks(homes_ctx *c)
{
    const report_model *m = c->m;
    const report_names *names = c->names;
    size_t n = ntarget(c), nb = 0;
    for (size_t t = 0; t < n; t++)
        nb += c->count[t] > 0;
    c->h->blocks = calloc(nb + 1, sizeof *c->h->blocks);
    if (c->h->blocks == NULL)
        return -1;
    for (size_t t = 0; t < n; t++) {
        if (c->count[t] == 0)
            continue;
        report_block *k = &c->h->blocks[c->h->nblock++];
        k->nrow = c->count[t];
        k->target = t;
        if (t < names->nentity) {
            k->entity = names->entities[t].id;
            k->owed = m->entity_owed[t];
            k->set = town_set(m, names->entities[t].core);
        } else
            k->set = t - names->nentity; /* a town's rest, or nplace: action-other's */
    }
    return 0;
}

/* The errors of each block counted before the order is taken (it ranks blocks with
 * errors first). */
static void count_errors(homes_ctx *c)
{
    for (size_t k = 0; k < c->h->nblock; k++)
        c->h->blocks[k].parts[REPORT_PART_ERRORS] = 0;
    for (size_t k = 0; k < c->m->nactions; k++) {
        size_t t = entity_target(c, c->m->actions[k].entity);
        c->h->blocks[c->block_of[t]].parts[REPORT_PART_ERRORS]++;
    }
}

static int place_rows(homes_ctx *c)
{
    report_homes *h = c->h;
    size_t n = ntarget(c);
    for (size_t t = 0; t < n; t++)
        c->block_of[t] = SIZE_MAX;
    for (size_t k = 0; k < h->nblock; k++)
        c->block_of[h->blocks[k].target] = k;
    count_errors(c);
    if (h->nblock > 0)
        qsort(h->blocks, h->nblock, sizeof *h->blocks, block_order);
    size_t at = 0;
    for (size_t k = 0; k < h->nblock; k++) {
        report_block *blk = &h->blocks[k];
        c->block_of[blk->target] = k;
        c->next[blk->target] = at;
        blk->first_row = at;
        at += blk->nrow;
        memset(blk->parts, 0, sizeof blk->parts);
    }
    h->rows = malloc((at + 1) * sizeof *h->rows);
    if (h->rows == NULL)
        return -1;
    h->nrow = at;
    c->pass = 1;
    visit_rows(c);
    return 0;
}

/* Each set's first block (sets: places[] by index, action-other at nplace), and the
 * entity blocks in the order of their owed across sets. */
static int index_sets(report_homes *h, const report_model *m)
{
    h->set_first = calloc(m->nplace + 2, sizeof *h->set_first);
    h->order = malloc((h->nblock + 1) * sizeof *h->order);
    if (h->set_first == NULL || h->order == NULL)
        return -1;
    size_t k = 0;
    for (size_t s = 0; s <= m->nplace + 1; s++) {
        while (k < h->nblock && h->blocks[k].set < s)
            k++;
        h->set_first[s] = k;
    }
    for (size_t i = 0; i < h->nblock; i++)
        h->order[i] = &h->blocks[i];
    if (h->nblock > 0)
        qsort(h->order, h->nblock, sizeof *h->order, report_block_ptr_rank);
    return 0;
}

int report_block_ptr_rank(const void *pa, const void *pb)
{
    return report_block_rank(*(const report_block *const *)pa, *(const report_block *const *)pb);
}

int report_homes_build(report_homes *h, const report_model *m, const vipa_result *r,
                       const report_names *names)
{
    memset(h, 0, sizeof *h);
    homes_ctx c = {h, m, r, names, NULL, NULL, NULL, 0};
    size_t n = ntarget(&c);
    c.count = calloc(n, sizeof *c.count);
    c.next = calloc(n, sizeof *c.next);
    c.block_of = calloc(n, sizeof *c.block_of);
    int rc = c.count != NULL && c.next != NULL && c.block_of != NULL ? 0 : -1;
    if (rc == 0) {
        visit_rows(&c);
        rc = make_blocks(&c);
    }
    if (rc == 0)
        rc = place_rows(&c);
    if (rc == 0)
        rc = index_sets(h, m);
    free(c.count);
    free(c.next);
    free(c.block_of);
    if (rc != 0)
        report_homes_free(h);
    return rc;
}

void report_homes_free(report_homes *h)
{
    free(h->blocks);
    free(h->rows);
    free(h->set_first);
    free(h->order);
    memset(h, 0, sizeof *h);
}
