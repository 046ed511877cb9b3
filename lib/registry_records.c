/* The registry module: adding areas, entities, households and their yearly guarantees
 * (see include/vipa/registry.h). Each add validates one record fully, then appends it;
 * vipa__add_batch takes the whole batch back on the first failure. */
#include <stdio.h>
#include <string.h>

#include "registry_internal.h"
#include "vipa/error.h"

/* Area index of a code that must be a village of the context. */
static int need_village(vipa_ctx *ctx, const char *at, const char *field, vipa_area_code code,
                        uint32_t *index)
{
    if (vipa_area_code_level(code) != VIPA_AREA_VILLAGE)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field %s %012llu is not a village code; "
                          "expected 12 digits not ending in 000", at, field, (unsigned long long)code);
    *index = vipa__area_find(ctx, code);
    if (*index == VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_NOT_FOUND, "%s: field %s: village %012llu is not in the "
                          "context; add it to the areas first", at, field, (unsigned long long)code);
    return VIPA_OK;
}

/* ---- areas ---------------------------------------------------------------------- */

static int check_area_parents(vipa_ctx *ctx, const char *at, const vipa_area *a)
{
    for (int level = VIPA_AREA_COUNTY; level < (int)a->level; level++) {
        vipa_area_code parent = 0;
        vipa_area_code_parent(&parent, a->code, (vipa_area_level)level);
        if (vipa__area_find(ctx, parent) == VIPA_NO_INDEX)
            return vipa__fail(ctx, VIPA_E_NOT_FOUND, "%s: its %s %012llu is not in the context; "
                              "add the %s before the %s", at,
                              vipa_area_level_name((vipa_area_level)level),
                              (unsigned long long)parent,
                              vipa_area_level_name((vipa_area_level)level),
                              vipa_area_level_name(a->level));
    }
    return VIPA_OK;
}

static int check_area(vipa_ctx *ctx, const char *at, const vipa_area *a)
{
    vipa_area_level shape = vipa_area_code_level(a->code);
    if (shape == VIPA_AREA_NONE)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field code is not a statistical division "
                          "code; expected 12 digits (county 6, town 3, village 3)", at);
    if (a->level != shape)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field level is %s but the code's shape "
                          "gives %s", at, vipa_area_level_name(a->level),
                          vipa_area_level_name(shape));
    int rc = vipa__check_text(ctx, at, "name", a->name);
    if (rc != VIPA_OK)
        return rc;
    if (a->industry && a->level != VIPA_AREA_TOWN)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field industry is given for a %s; only a "
                          "town has a designated industry (一镇一业, 二(二))", at,
                          vipa_area_level_name(a->level));
    if (a->industry && (rc = vipa__check_text(ctx, at, "industry", a->industry)) != VIPA_OK)
        return rc;
    if (vipa__area_find(ctx, a->code) != VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_EXISTS, "%s: an area with this code exists already", at);
    return check_area_parents(ctx, at, a);
}

static int add_area(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_area *a = item;
    char at[96];
    vipa__record_name(at, sizeof at, "areas", index, a->code);
    int rc = check_area(ctx, at, a);
    if (rc != VIPA_OK)
        return rc;
    area_rec r = {a->code, VIPA_NO_TEXT, VIPA_NO_TEXT, (uint8_t)a->level};
    if (vipa__arena_add(&ctx->alloc, &ctx->text, a->name, &r.name) != VIPA_OK ||
        vipa__arena_add(&ctx->alloc, &ctx->text, a->industry, &r.industry) != VIPA_OK)
        return vipa__fail(ctx, VIPA_E_NOMEM, "%s: out of memory storing its name", at);
    VIPA_TABLE_PUSH(ctx->areas, r, r.code);
    return VIPA_OK;
}

int vipa_ctx_add_areas(vipa_ctx *ctx, const vipa_area *areas, size_t n)
{
    return vipa__add_batch(ctx, VIPA_KIND_AREA, add_area, areas, n);
}

/* ---- entities --------------------------------------------------------------------- */

static int check_entity(vipa_ctx *ctx, const char *at, const vipa_entity *e)
{
    int rc = vipa__check_id(ctx, at, e->id);
    if (rc != VIPA_OK)
        return rc;
    if (VIPA_TABLE_FIND(ctx->entities, e->id) != VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_EXISTS, "%s: an entity with this id exists already", at);
    if ((rc = vipa__check_text(ctx, at, "name", e->name)) != VIPA_OK ||
        (rc = vipa__check_text(ctx, at, "industry", e->industry)) != VIPA_OK)
        return rc;
    if (e->kind < VIPA_ENTITY_ENTERPRISE || e->kind > VIPA_ENTITY_LARGE_GROWER)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field kind is %d; expected enterprise, park, "
                          "cooperative, family farm or large grower (1..5)", at, (int)e->kind);
    if (e->selection & ~(unsigned)VIPA_SELECT_ALL)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field selection has bits outside the eight "
                          "criteria of 三(二) (0x%x)", at, e->selection);
    const char *why = NULL;
    if (e->uscc && vipa_uscc_check(e->uscc, &why) != VIPA_OK)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field uscc \"%.40s\": %s", at, e->uscc, why);
    uint32_t village;
    return need_village(ctx, at, "core_village", e->core_village, &village);
}

static int add_entity(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_entity *e = item;
    char at[96];
    vipa__record_name(at, sizeof at, "entities", index, e->id);
    int rc = check_entity(ctx, at, e);
    if (rc != VIPA_OK)
        return rc;
    entity_rec r = {e->id, e->core_village, 0, 0, 0, (uint8_t)e->kind, (uint8_t)e->selection};
    if (vipa__arena_add(&ctx->alloc, &ctx->text, e->name, &r.name) != VIPA_OK ||
        vipa__arena_add(&ctx->alloc, &ctx->text, e->industry, &r.industry) != VIPA_OK ||
        vipa__arena_add(&ctx->alloc, &ctx->text, e->uscc, &r.uscc) != VIPA_OK)
        return vipa__fail(ctx, VIPA_E_NOMEM, "%s: out of memory storing its texts", at);
    VIPA_TABLE_PUSH(ctx->entities, r, r.id);
    return VIPA_OK;
}

int vipa_ctx_add_entities(vipa_ctx *ctx, const vipa_entity *entities, size_t n)
{
    return vipa__add_batch(ctx, VIPA_KIND_ENTITY, add_entity, entities, n);
}

/* ---- households ------------------------------------------------------------------- */

static int check_household(vipa_ctx *ctx, const char *at, const vipa_household *h)
{
    int rc = vipa__check_id(ctx, at, h->id);
    if (rc != VIPA_OK)
        return rc;
    if (h->members < 1 || h->members > VIPA_MEMBERS_MAX)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field members is %d; expected 1..%d", at,
                          h->members, VIPA_MEMBERS_MAX);
    if (h->labour < 0 || h->labour > h->members)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field labour is %d; expected 0..members (%d)",
                          at, h->labour, h->members);
    if (h->cause < VIPA_CAUSE_ILLNESS || h->cause > VIPA_CAUSE_LACK_OF_DRIVE)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field cause is %d; expected one of the 11 "
                          "致贫原因 codes of 建档立卡 (1..11)", at, (int)h->cause);
    if (h->willing != 0 && h->willing != 1)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field willing is %d; expected 0 or 1", at,
                          h->willing);
    if ((rc = vipa__check_year_or_zero(ctx, at, "exited_year", h->exited_year)) != VIPA_OK)
        return rc;
    if (VIPA_TABLE_FIND(ctx->households, h->id) != VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_EXISTS, "%s: a household with this id exists already", at);
    return VIPA_OK;
}

static int add_household(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_household *h = item;
    const char *at = vipa__record_name_later(ctx, "households", index, "id", h->id, NULL, 0);
    uint32_t village = VIPA_NO_INDEX;
    int rc = check_household(ctx, at, h);
    if (rc == VIPA_OK)
        rc = need_village(ctx, at, "village", h->village, &village);
    if (rc != VIPA_OK)
        return rc;
    household_rec r = {.id = h->id, .village = village, .cause = (unsigned)h->cause,
                       .willing = (unsigned)h->willing, .exited_year = (unsigned)h->exited_year,
                       .members = (unsigned)h->members, .labour = (unsigned)h->labour};
    VIPA_TABLE_PUSH(ctx->households, r, r.id);
    return VIPA_OK;
}

static void household_ahead(const vipa_ctx *ctx, const void *item, int stage)
{
    if (stage == VIPA_AHEAD_SLOTS)
        vipa__idmap_prefetch(&ctx->households.map, ((const vipa_household *)item)->id);
}

int vipa_ctx_add_households(vipa_ctx *ctx, const vipa_household *households, size_t n)
{
    return vipa__add_batch_ahead(ctx, VIPA_KIND_HOUSEHOLD, add_household, household_ahead,
                                 households, n);
}

/* ---- guarantees per household and year -------------------------------------------- */

static int add_assured_one(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_assured *a = item;
    const char *at = vipa__record_name_later(ctx, "assured", index, "id", a->household, NULL, 0);
    uint32_t household = VIPA_TABLE_FIND(ctx->households, a->household);
    int rc = vipa__need(ctx, household, at, "household", a->household);
    if (rc != VIPA_OK)
        return rc;
    if ((rc = vipa__check_year(ctx, at, "year", a->year)) != VIPA_OK)
        return rc;
    if (a->items & ~(unsigned)VIPA_ASSURED_ITEMS_ALL)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field items has bits outside the five "
                          "guarantees (0x%x)", at, a->items);
    assured_rec r = vipa__assured(household, a->year, a->items);
    if (VIPA_TABLE_FIND(ctx->assured, vipa__assured_key(&r)) != VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_EXISTS, "%s: the guarantees of %d are recorded already",
                          at, a->year);
    VIPA_TABLE_PUSH(ctx->assured, r, vipa__assured_key(&r));
    return VIPA_OK;
}

static void assured_ahead(const vipa_ctx *ctx, const void *item, int stage)
{
    const vipa_assured *a = item;
    if (stage == VIPA_AHEAD_SLOTS) {
        vipa__idmap_prefetch(&ctx->households.map, a->household);
    } else if (stage == VIPA_AHEAD_RECORDS) {
        vipa__idmap_prefetch_record(&ctx->households.map, VIPA_KEYED(ctx->households),
                                    a->household);
    } else {
        uint32_t household = VIPA_TABLE_FIND(ctx->households, a->household);
        if (household != VIPA_NO_INDEX)
            vipa__idmap_prefetch(&ctx->assured.map, vipa__year_key(household, a->year));
    }
}

int vipa_ctx_add_assured(vipa_ctx *ctx, const vipa_assured *assured, size_t n)
{
    return vipa__add_batch_ahead(ctx, VIPA_KIND_ASSURED, add_assured_one, assured_ahead, assured, n);
}
