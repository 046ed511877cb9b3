/*
 * Tests of include/vipa/registry.h: the context, the profile's parameters, and adding
 * areas, entities, households and guarantees. Every error path is checked for its code,
 * for a message naming the record and field, and for leaving the context unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"
#include "support.h"
#include "fixture.h"

/* Illustrative Shangluo areas: 商州区 and two of its towns and villages. */
static const vipa_area shangzhou[] = {
    {VIPA_AREA_VERSION, 611002000000u, VIPA_AREA_COUNTY, "商州区", NULL},
    {VIPA_AREA_VERSION, 611002001000u, VIPA_AREA_TOWN, "城关街道", "核桃"},
    {VIPA_AREA_VERSION, 611002001204u, VIPA_AREA_VILLAGE, "杏树园村", NULL},
    {VIPA_AREA_VERSION, 611002107000u, VIPA_AREA_TOWN, "黑山镇", NULL},
    {VIPA_AREA_VERSION, 611002107206u, VIPA_AREA_VILLAGE, "东川村", NULL},
};
enum { AREAS = sizeof shangzhou / sizeof shangzhou[0] };

static vipa_ctx *new_ctx(void)
{
    return fixture_new_ctx(NULL);
}

static vipa_ctx *ctx_with_areas(void)
{
    vipa_ctx *ctx = new_ctx();
    assert_int_equal(vipa_ctx_add_areas(ctx, shangzhou, AREAS), VIPA_OK);
    return ctx;
}

/* Households here have four members, two of them working, poor through illness. */
static vipa_household household(vipa_id id, vipa_area_code village)
{
    vipa_household h = fixture_household(id, village, 4);
    h.labour = 2;
    h.cause = VIPA_CAUSE_ILLNESS;
    return h;
}

static vipa_entity entity(vipa_id id)
{
    return fixture_entity(id, "商州区核桃专业合作社", XINGSHUYUAN, "核桃");
}

/* ---- context ---------------------------------------------------------------------- */

static void ctx_new_refuses_bad_options(void **state)
{
    (void)state;
    assert_int_equal(vipa_ctx_new(NULL, NULL), VIPA_E_INVALID);

    vipa_ctx *ctx = (vipa_ctx *)&ctx; /* any non-NULL value: must be reset to NULL */
    vipa_ctx_options o = VIPA_CTX_OPTIONS_INIT;
    o.version = 0;
    assert_int_equal(vipa_ctx_new(&ctx, &o), VIPA_E_VERSION);
    assert_null(ctx);
    o.version = VIPA_CTX_OPTIONS_VERSION + 1;
    assert_int_equal(vipa_ctx_new(&ctx, &o), VIPA_E_VERSION);

    vipa_ctx_options partial = VIPA_CTX_OPTIONS_INIT;
    partial.free_fn = NULL;
    partial.malloc_fn = NULL;
    partial.realloc_fn = NULL;
    vipa_ctx_options only_one = partial;
    only_one.free_fn = (void (*)(void *, void *))NULL;
    assert_int_equal(vipa_ctx_new(&ctx, &only_one), VIPA_OK); /* none set: defaults */
    vipa_ctx_free(ctx);

    vipa_ctx_options profile = VIPA_CTX_OPTIONS_INIT;
    profile.profile = "beijing-2016";
    assert_int_equal(vipa_ctx_new(&ctx, &profile), VIPA_E_NOT_FOUND);
    assert_null(ctx);
    profile.profile = "shangluo-2016";
    assert_int_equal(vipa_ctx_new(&ctx, &profile), VIPA_OK);
    assert_string_equal(vipa_profile_name(ctx), "shangluo-2016");
    assert_string_equal(vipa_ctx_errmsg(ctx), "");
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_OK);
    vipa_ctx_free(ctx);

    vipa_ctx_free(NULL); /* a no-op */
    assert_non_null(vipa_ctx_errmsg(NULL));
    assert_int_equal(vipa_ctx_errcode(NULL), VIPA_E_INVALID);
    assert_null(vipa_profile_name(NULL));
    assert_int_equal(vipa_ctx_area_count(NULL), 0);
    assert_int_equal(vipa_ctx_entity_count(NULL), 0);
    assert_int_equal(vipa_ctx_household_count(NULL), 0);
}

static int ctx_with_allocator(vipa_ctx **ctx, test_allocator *c)
{
    vipa_ctx_options o = test_allocator_options(c);
    return vipa_ctx_new(ctx, &o);
}

static void ctx_uses_the_callers_allocator(void **state)
{
    (void)state;
    test_allocator c = {-1, 0};
    vipa_ctx *ctx = NULL;
    assert_int_equal(ctx_with_allocator(&ctx, &c), VIPA_OK);
    assert_int_equal(vipa_ctx_add_areas(ctx, shangzhou, AREAS), VIPA_OK);
    assert_true(c.live > 0);
    vipa_ctx_free(ctx);
    assert_int_equal(c.live, 0);

    /* A partly set allocator is refused rather than mixed with malloc. */
    vipa_ctx_options o = VIPA_CTX_OPTIONS_INIT;
    o.malloc_fn = test_allocator_malloc;
    assert_int_equal(vipa_ctx_new(&ctx, &o), VIPA_E_INVALID);
    assert_null(ctx);
}

/* Every allocation along the way may fail: each failure is VIPA_E_NOMEM, leaves the
 * counts as before the failing call, and leaks nothing. */
static void every_allocation_failure_is_clean(void **state)
{
    (void)state;
    vipa_household hs[40];
    for (int i = 0; i < 40; i++)
        hs[i] = household(1001 + (vipa_id)i, i % 2 ? 611002001204u : 611002107206u);
    vipa_entity e = entity(1);
    int completed = 0;
    for (long k = 1; !completed; k++) {
        test_allocator c = {k - 1, 0}; /* the k-th allocation fails */
        vipa_ctx *ctx = NULL;
        int rc = ctx_with_allocator(&ctx, &c);
        if (rc != VIPA_OK) {
            assert_int_equal(rc, VIPA_E_NOMEM);
            assert_null(ctx);
            assert_int_equal(c.live, 0);
            continue;
        }
        rc = vipa_ctx_add_areas(ctx, shangzhou, AREAS);
        if (rc == VIPA_OK)
            rc = vipa_ctx_add_entities(ctx, &e, 1);
        if (rc == VIPA_OK)
            rc = vipa_ctx_add_households(ctx, hs, 40);
        if (rc == VIPA_OK) {
            completed = 1;
            assert_int_equal(vipa_ctx_household_count(ctx), 40);
        } else {
            assert_int_equal(rc, VIPA_E_NOMEM);
            size_t areas = vipa_ctx_area_count(ctx), households = vipa_ctx_household_count(ctx);
            assert_true(areas == 0 || areas == AREAS);
            assert_int_equal(households, 0);
        }
        vipa_ctx_free(ctx);
        assert_int_equal(c.live, 0);
    }
}

/* ---- parameters --------------------------------------------------------------------- */

static void profile_defaults_are_the_policys(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx();
    int64_t bp = 0;
    assert_int_equal(vipa_param_get_int(&bp, ctx, "equity.poor_share_bp"), VIPA_OK);
    assert_int_equal(bp, 7000); /* 三(二): 其中70%作为贫困户的股金 */
    const char *word = NULL;
    assert_int_equal(vipa_param_get_text(&word, ctx, "equity.allocation"), VIPA_OK);
    assert_string_equal(word, "per_household");
    assert_int_equal(vipa_param_get_text(&word, ctx, "equity.remainder_holder"), VIPA_OK);
    assert_string_equal(word, "village_collective");
    int flag = -1;
    assert_int_equal(vipa_param_get_bool(&flag, ctx, "exit.require_guarantees"), VIPA_OK);
    assert_int_equal(flag, 1);
    /* The reference lines of docs/policy.md, in fen per person per year. */
    static const struct {
        int year;
        vipa_fen line;
    } lines[] = {{2015, 285500}, {2016, 295200}, {2017, 295200},
                 {2018, 299500}, {2019, 321800}, {2020, 400000}};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        vipa_fen v = -1;
        assert_int_equal(vipa_poverty_line(&v, ctx, lines[i].year), VIPA_OK);
        assert_int_equal(v, lines[i].line);
    }
    vipa_fen v = -1;
    assert_int_equal(vipa_param_get_fen(&v, ctx, "poverty_line.2018"), VIPA_OK);
    assert_int_equal(v, 299500);
    vipa_ctx_free(ctx);
}

static void parameters_are_set_and_type_checked(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx();
    int64_t bp = 0;
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 6000), VIPA_OK);
    assert_int_equal(vipa_param_get_int(&bp, ctx, "equity.poor_share_bp"), VIPA_OK);
    assert_int_equal(bp, 6000);
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 10001), VIPA_E_RANGE);
    assert_error_mentions(ctx, "equity.poor_share_bp", "0..10000");
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", -1), VIPA_E_RANGE);
    assert_int_equal(vipa_param_get_int(&bp, ctx, "equity.poor_share_bp"), VIPA_OK);
    assert_int_equal(bp, 6000); /* unchanged by the refusals */
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 0), VIPA_OK);
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 10000), VIPA_OK);

    assert_int_equal(vipa_param_set_bool(ctx, "exit.require_guarantees", 0), VIPA_OK);
    int flag = -1;
    assert_int_equal(vipa_param_get_bool(&flag, ctx, "exit.require_guarantees"), VIPA_OK);
    assert_int_equal(flag, 0);
    assert_int_equal(vipa_param_set_bool(ctx, "exit.require_guarantees", 2), VIPA_E_RANGE);

    assert_int_equal(vipa_param_set_text(ctx, "equity.allocation", "per_member"), VIPA_OK);
    assert_int_equal(vipa_param_set_text(ctx, "equity.allocation", "per_person"), VIPA_E_RANGE);
    assert_error_mentions(ctx, "per_person", "per_household");
    assert_int_equal(vipa_param_set_text(ctx, "equity.allocation", NULL), VIPA_E_RANGE);
    const char *word = NULL;
    assert_int_equal(vipa_param_get_text(&word, ctx, "equity.allocation"), VIPA_OK);
    assert_string_equal(word, "per_member");
    assert_int_equal(vipa_param_set_text(ctx, "equity.remainder_holder", "entity"), VIPA_OK);
    assert_int_equal(vipa_param_get_text(&word, ctx, "equity.remainder_holder"), VIPA_OK);
    assert_string_equal(word, "entity");

    /* Wrong type for the key, unknown keys, NULLs. */
    assert_int_equal(vipa_param_set_int(ctx, "exit.require_guarantees", 1), VIPA_E_INVALID);
    assert_error_mentions(ctx, "exit.require_guarantees", "boolean");
    assert_int_equal(vipa_param_set_bool(ctx, "equity.poor_share_bp", 1), VIPA_E_INVALID);
    assert_int_equal(vipa_param_set_text(ctx, "poverty_line.2017", "2952.00"), VIPA_E_INVALID);
    assert_int_equal(vipa_param_set_fen(ctx, "equity.allocation", 1), VIPA_E_INVALID);
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share", 7000), VIPA_E_INVALID);
    assert_error_mentions(ctx, "unknown parameter", "equity.poor_share");
    assert_int_equal(vipa_param_set_int(ctx, NULL, 7000), VIPA_E_INVALID);
    assert_int_equal(vipa_param_set_int(NULL, "equity.poor_share_bp", 7000), VIPA_E_INVALID);
    assert_int_equal(vipa_param_get_int(NULL, ctx, "equity.poor_share_bp"), VIPA_E_INVALID);
    assert_int_equal(vipa_param_get_bool(NULL, ctx, "exit.require_guarantees"), VIPA_E_INVALID);
    assert_int_equal(vipa_param_get_text(NULL, ctx, "equity.allocation"), VIPA_E_INVALID);
    assert_int_equal(vipa_param_get_fen(NULL, ctx, "poverty_line.2017"), VIPA_E_INVALID);
    assert_int_equal(vipa_param_get_int(&bp, NULL, "equity.poor_share_bp"), VIPA_E_INVALID);
    assert_int_equal(vipa_param_set_bool(NULL, "exit.require_guarantees", 1), VIPA_E_INVALID);
    assert_int_equal(vipa_param_set_text(NULL, "equity.allocation", "per_member"), VIPA_E_INVALID);
    assert_int_equal(vipa_param_set_fen(NULL, "poverty_line.2017", 1), VIPA_E_INVALID);
    assert_int_equal(vipa_param_get_bool(&flag, NULL, "x"), VIPA_E_INVALID);
    assert_int_equal(vipa_param_get_text(&word, NULL, "x"), VIPA_E_INVALID);

    assert_int_equal(vipa_param_type_of(ctx, "equity.poor_share_bp"), VIPA_PARAM_INT);
    assert_int_equal(vipa_param_type_of(ctx, "exit.require_guarantees"), VIPA_PARAM_BOOL);
    assert_int_equal(vipa_param_type_of(ctx, "equity.remainder_holder"), VIPA_PARAM_TEXT);
    assert_int_equal(vipa_param_type_of(ctx, "poverty_line.2031"), VIPA_PARAM_FEN);
    assert_int_equal(vipa_param_type_of(ctx, "poverty_line.99"), VIPA_PARAM_NONE);
    assert_int_equal(vipa_param_type_of(ctx, "poverty_line.20170"), VIPA_PARAM_NONE);
    assert_int_equal(vipa_param_type_of(ctx, "poverty_line.1899"), VIPA_PARAM_NONE);
    assert_int_equal(vipa_param_type_of(ctx, NULL), VIPA_PARAM_NONE);
    assert_int_equal(vipa_param_type_of(NULL, "equity.allocation"), VIPA_PARAM_NONE);
    vipa_ctx_free(ctx);
}

static void poverty_lines_are_never_guessed(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx();
    vipa_fen v = 12345;
    assert_int_equal(vipa_poverty_line(&v, ctx, 2014), VIPA_E_NOT_FOUND);
    assert_error_mentions(ctx, "poverty_line.2014", NULL);
    assert_int_equal(vipa_param_get_fen(&v, ctx, "poverty_line.2021"), VIPA_E_NOT_FOUND);
    assert_error_mentions(ctx, "poverty_line.2021", NULL);
    assert_int_equal(vipa_poverty_line(&v, ctx, 0), VIPA_E_NOT_FOUND);
    assert_int_equal(v, 12345);
    assert_int_equal(vipa_poverty_line(NULL, ctx, 2017), VIPA_E_INVALID);
    assert_int_equal(vipa_poverty_line(&v, NULL, 2017), VIPA_E_INVALID);

    /* Set one before, between and after the shipped years; all stay findable. */
    assert_int_equal(vipa_param_set_fen(ctx, "poverty_line.2014", 280000), VIPA_OK);
    assert_int_equal(vipa_param_set_fen(ctx, "poverty_line.2021", 420000), VIPA_OK);
    assert_int_equal(vipa_param_set_fen(ctx, "poverty_line.2017", 300000), VIPA_OK);
    assert_int_equal(vipa_param_set_fen(ctx, "poverty_line.2016", -1), VIPA_E_RANGE);
    const struct {
        int year;
        vipa_fen line;
    } want[] = {{2014, 280000}, {2015, 285500}, {2016, 295200}, {2017, 300000}, {2021, 420000}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(vipa_poverty_line(&v, ctx, want[i].year), VIPA_OK);
        assert_int_equal(v, want[i].line);
    }
    assert_string_equal(vipa_ctx_errmsg(ctx), ""); /* cleared by the last success */
    vipa_ctx_free(ctx);
}

/* ---- areas ---------------------------------------------------------------------------- */

static void areas_are_added_in_hierarchy_order(void **state)
{
    (void)state;
    vipa_ctx *ctx = ctx_with_areas();
    assert_int_equal(vipa_ctx_area_count(ctx), AREAS);
    assert_int_equal(vipa_ctx_add_areas(ctx, NULL, 0), VIPA_OK); /* n = 0: a no-op */
    vipa_ctx_free(ctx);

    /* A village before its town: refused, naming the town, and nothing of the batch kept. */
    ctx = new_ctx();
    const vipa_area wrong_order[] = {shangzhou[0], shangzhou[2], shangzhou[1]};
    assert_int_equal(vipa_ctx_add_areas(ctx, wrong_order, 3), VIPA_E_NOT_FOUND);
    assert_error_mentions(ctx, "areas[1]", "611002001000");
    assert_int_equal(vipa_ctx_area_count(ctx), 0);
    assert_int_equal(vipa_ctx_add_areas(ctx, shangzhou, AREAS), VIPA_OK);
    vipa_ctx_free(ctx);
}

static void bad_areas_are_refused_and_change_nothing(void **state)
{
    (void)state;
    vipa_ctx *ctx = ctx_with_areas();
    struct {
        vipa_area area;
        int code;
        const char *mention;
    } cases[] = {
        {{VIPA_AREA_VERSION, 611002001000u, VIPA_AREA_VILLAGE, "x", NULL}, VIPA_E_INVALID, "level"},
        {{VIPA_AREA_VERSION, 611000000000u, VIPA_AREA_COUNTY, "商洛市", NULL}, VIPA_E_INVALID, "code"},
        {{VIPA_AREA_VERSION, 611002001206u, VIPA_AREA_VILLAGE, "", NULL}, VIPA_E_INVALID, "name"},
        {{VIPA_AREA_VERSION, 611002001206u, VIPA_AREA_VILLAGE, NULL, NULL}, VIPA_E_INVALID, "name"},
        {{VIPA_AREA_VERSION, 611002001206u, VIPA_AREA_VILLAGE, "\xe5\x95", NULL}, VIPA_E_INVALID, "UTF-8"},
        {{VIPA_AREA_VERSION, 611002001206u, VIPA_AREA_VILLAGE, "村", "核桃"}, VIPA_E_INVALID, "industry"},
        {{VIPA_AREA_VERSION, 611002108000u, VIPA_AREA_TOWN, "杨斜镇", ""}, VIPA_E_INVALID, "industry"},
        {{VIPA_AREA_VERSION, 611002001204u, VIPA_AREA_VILLAGE, "杏树园村", NULL}, VIPA_E_EXISTS, "exists"},
        {{VIPA_AREA_VERSION, 611021101000u, VIPA_AREA_TOWN, "景村镇", NULL}, VIPA_E_NOT_FOUND, "611021000000"},
        {{0, 611002001206u, VIPA_AREA_VILLAGE, "村", NULL}, VIPA_E_VERSION, "version"},
        {{VIPA_AREA_VERSION + 1, 611002001206u, VIPA_AREA_VILLAGE, "村", NULL}, VIPA_E_VERSION, "version"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* The bad area comes second, after a good one that must be taken back too. */
        vipa_area batch[2] = {{VIPA_AREA_VERSION, 611002001299u, VIPA_AREA_VILLAGE, "好村", NULL},
                              cases[i].area};
        assert_int_equal(vipa_ctx_add_areas(ctx, batch, 2), cases[i].code);
        assert_error_mentions(ctx, "areas[1]", cases[i].mention);
        assert_int_equal(vipa_ctx_area_count(ctx), AREAS);
    }
    assert_int_equal(vipa_ctx_add_areas(ctx, NULL, 1), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_add_areas(NULL, shangzhou, 1), VIPA_E_INVALID);
    /* The good area of every refused batch can still be added: nothing was half-kept. */
    vipa_area good = {VIPA_AREA_VERSION, 611002001299u, VIPA_AREA_VILLAGE, "好村", NULL};
    assert_int_equal(vipa_ctx_add_areas(ctx, &good, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_area_count(ctx), AREAS + 1);
    vipa_ctx_free(ctx);
}

/* ---- entities ------------------------------------------------------------------------ */

static void entities_are_validated(void **state)
{
    (void)state;
    vipa_ctx *ctx = ctx_with_areas();
    vipa_entity good = entity(1);
    good.uscc = "914403001922038216"; /* a real code (华为技术有限公司), check digit 6 */
    assert_int_equal(vipa_ctx_add_entities(ctx, &good, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_entity_count(ctx), 1);

    struct {
        vipa_entity e;
        int code;
        const char *mention;
    } cases[8];
    size_t n = 0;
    vipa_entity e = entity(2);
    e.uscc = "914403001922038217"; /* check character corrupted */
    cases[n++] = (__typeof__(cases[0])){e, VIPA_E_INVALID, "uscc"};
    e = entity(0);
    cases[n++] = (__typeof__(cases[0])){e, VIPA_E_INVALID, "id"};
    e = entity(1);
    cases[n++] = (__typeof__(cases[0])){e, VIPA_E_EXISTS, "exists"};
    e = entity(2);
    e.kind = (vipa_entity_kind)6;
    cases[n++] = (__typeof__(cases[0])){e, VIPA_E_INVALID, "kind"};
    e = entity(2);
    e.selection = 0x100;
    cases[n++] = (__typeof__(cases[0])){e, VIPA_E_INVALID, "selection"};
    e = entity(2);
    e.core_village = 611002001000u; /* a town */
    cases[n++] = (__typeof__(cases[0])){e, VIPA_E_INVALID, "core_village"};
    e = entity(2);
    e.core_village = 611002001299u; /* a village shape, not in the context */
    cases[n++] = (__typeof__(cases[0])){e, VIPA_E_NOT_FOUND, "core_village"};
    e = entity(2);
    e.industry = "";
    cases[n++] = (__typeof__(cases[0])){e, VIPA_E_INVALID, "industry"};
    for (size_t i = 0; i < n; i++) {
        vipa_entity batch[2] = {entity(3), cases[i].e};
        assert_int_equal(vipa_ctx_add_entities(ctx, batch, 2), cases[i].code);
        assert_error_mentions(ctx, "entities[1]", cases[i].mention);
        assert_int_equal(vipa_ctx_entity_count(ctx), 1);
    }
    vipa_entity noname = entity(2);
    noname.name = NULL;
    assert_int_equal(vipa_ctx_add_entities(ctx, &noname, 1), VIPA_E_INVALID);
    assert_error_mentions(ctx, "entities[0]", "name");
    vipa_entity three = entity(3);
    assert_int_equal(vipa_ctx_add_entities(ctx, &three, 1), VIPA_OK);
    vipa_ctx_free(ctx);
}

/* ---- households ----------------------------------------------------------------------- */

static void households_are_validated(void **state)
{
    (void)state;
    vipa_ctx *ctx = ctx_with_areas();
    vipa_household first = household(1001, 611002001204u);
    assert_int_equal(vipa_ctx_add_households(ctx, &first, 1), VIPA_OK);

    struct {
        vipa_household h;
        int code;
        const char *mention;
    } cases[16];
    size_t n = 0;
#define CASE(field, value, rc, text)                                                   \
    do {                                                                               \
        vipa_household h = household(1002, 611002001204u);                            \
        h.field = value;                                                               \
        cases[n++] = (__typeof__(cases[0])){h, rc, text};                              \
    } while (0)
    CASE(id, 0, VIPA_E_INVALID, "id");
    CASE(id, 1001, VIPA_E_EXISTS, "exists");
    CASE(members, 0, VIPA_E_INVALID, "members");
    CASE(members, VIPA_MEMBERS_MAX + 1, VIPA_E_INVALID, "members");
    CASE(labour, 5, VIPA_E_INVALID, "labour");
    CASE(labour, -1, VIPA_E_INVALID, "labour");
    CASE(cause, VIPA_CAUSE_NONE, VIPA_E_INVALID, "cause");
    CASE(cause, (vipa_cause)12, VIPA_E_INVALID, "cause");
    CASE(willing, 2, VIPA_E_INVALID, "willing");
    CASE(exited_year, 1899, VIPA_E_INVALID, "exited_year");
    CASE(village, 611002001000u, VIPA_E_INVALID, "village");
    CASE(village, 611002001299u, VIPA_E_NOT_FOUND, "village");
    CASE(version, 0, VIPA_E_VERSION, "version");
#undef CASE
    for (size_t i = 0; i < n; i++) {
        vipa_household batch[3] = {household(2001, 611002107206u), household(2002, 611002107206u),
                                   cases[i].h};
        assert_int_equal(vipa_ctx_add_households(ctx, batch, 3), cases[i].code);
        assert_error_mentions(ctx, "households[2]", cases[i].mention);
        assert_int_equal(vipa_ctx_household_count(ctx), 1);
    }
    /* The same id twice in one batch: the second is refused and the first taken back. */
    vipa_household twice[2] = {household(3001, 611002001204u), household(3001, 611002107206u)};
    assert_int_equal(vipa_ctx_add_households(ctx, twice, 2), VIPA_E_EXISTS);
    assert_error_mentions(ctx, "households[1] (id 3001)", NULL);
    assert_int_equal(vipa_ctx_household_count(ctx), 1);
    assert_int_equal(vipa_ctx_add_households(ctx, twice, 1), VIPA_OK);

    /* A year-before exit and the extremes are accepted. */
    vipa_household edge = household(4001, 611002107206u);
    edge.exited_year = 2016;
    edge.members = VIPA_MEMBERS_MAX;
    edge.labour = 0;
    edge.cause = VIPA_CAUSE_LACK_OF_DRIVE;
    edge.willing = 0;
    assert_int_equal(vipa_ctx_add_households(ctx, &edge, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_household_count(ctx), 3);
    assert_int_equal(vipa_ctx_add_households(NULL, &edge, 1), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_add_households(ctx, NULL, 2), VIPA_E_INVALID);
    vipa_ctx_free(ctx);
}

static void a_large_batch_loads_in_one_call(void **state)
{
    (void)state;
    enum { N = 100000 };
    vipa_ctx *ctx = ctx_with_areas();
    vipa_household *hs = calloc(N, sizeof *hs);
    assert_non_null(hs);
    for (size_t i = 0; i < N; i++)
        hs[i] = household(1 + i * 7919, i % 3 ? 611002001204u : 611002107206u);
    assert_int_equal(vipa_ctx_add_households(ctx, hs, N), VIPA_OK);
    assert_int_equal(vipa_ctx_household_count(ctx), N);
    /* The last one of a second batch collides: the whole second batch is refused. */
    hs[N - 1].id = 1;
    for (size_t i = 0; i + 1 < N; i++)
        hs[i].id += 1000000000;
    assert_int_equal(vipa_ctx_add_households(ctx, hs, N), VIPA_E_EXISTS);
    assert_int_equal(vipa_ctx_household_count(ctx), N);
    free(hs);
    vipa_ctx_free(ctx);
}

/* ---- guarantees -------------------------------------------------------------------------- */

static void guarantees_are_recorded_once_per_year(void **state)
{
    (void)state;
    vipa_ctx *ctx = ctx_with_areas();
    vipa_household h = household(1001, 611002001204u);
    assert_int_equal(vipa_ctx_add_households(ctx, &h, 1), VIPA_OK);
    vipa_assured ok[2] = {{VIPA_ASSURED_VERSION, 1001, 2017, VIPA_ASSURED_ITEMS_ALL},
                          {VIPA_ASSURED_VERSION, 1001, 2018, VIPA_ASSURED_FOOD_CLOTHING}};
    assert_int_equal(vipa_ctx_add_assured(ctx, ok, 2), VIPA_OK);

    struct {
        vipa_assured a;
        int code;
        const char *mention;
    } cases[] = {
        {{VIPA_ASSURED_VERSION, 9999, 2019, 0}, VIPA_E_NOT_FOUND, "household 9999"},
        {{VIPA_ASSURED_VERSION, 1001, 1800, 0}, VIPA_E_INVALID,
         "field year is 1800; expected a year 1900..9999"},
        {{VIPA_ASSURED_VERSION, 1001, 2019, 0x20}, VIPA_E_INVALID, "items"},
        {{VIPA_ASSURED_VERSION, 1001, 2017, 0}, VIPA_E_EXISTS, "2017"},
        {{0, 1001, 2019, 0}, VIPA_E_VERSION, "version"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vipa_assured batch[2] = {{VIPA_ASSURED_VERSION, 1001, 2019, VIPA_ASSURED_ITEMS_ALL},
                                 cases[i].a};
        assert_int_equal(vipa_ctx_add_assured(ctx, batch, 2), cases[i].code);
        assert_error_mentions(ctx, "assured[1]", cases[i].mention);
    }
    /* 2019 was taken back every time, so it can be added now. */
    vipa_assured y2019 = {VIPA_ASSURED_VERSION, 1001, 2019, VIPA_ASSURED_ITEMS_ALL};
    assert_int_equal(vipa_ctx_add_assured(ctx, &y2019, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_add_assured(ctx, &y2019, 1), VIPA_E_EXISTS);
    vipa_ctx_free(ctx);
}

/* The first and last years with different items are two records, each found again (a
 * repeat is refused whatever its items): the items stored beside a year's key never
 * make it another key. */
static void guarantees_of_the_first_and_last_years(void **state)
{
    (void)state;
    vipa_ctx *ctx = ctx_with_areas();
    vipa_household h = household(1001, 611002001204u);
    assert_int_equal(vipa_ctx_add_households(ctx, &h, 1), VIPA_OK);
    vipa_assured edges[3] = {{VIPA_ASSURED_VERSION, 1001, 1900, VIPA_ASSURED_FOOD_CLOTHING},
                             {VIPA_ASSURED_VERSION, 1001, 9999, VIPA_ASSURED_ITEMS_ALL},
                             {VIPA_ASSURED_VERSION, 1001, 9998, 0}};
    assert_int_equal(vipa_ctx_add_assured(ctx, edges, 3), VIPA_OK);
    const unsigned int others[3] = {0, VIPA_ASSURED_WATER, VIPA_ASSURED_ITEMS_ALL};
    for (int i = 0; i < 3; i++) {
        vipa_assured again = edges[i];
        again.items = others[i];
        assert_int_equal(vipa_ctx_add_assured(ctx, &again, 1), VIPA_E_EXISTS);
        assert_error_mentions(ctx, "assured[0]", i == 0 ? "1900" : i == 1 ? "9999" : "9998");
    }
    vipa_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ctx_new_refuses_bad_options),
        cmocka_unit_test(ctx_uses_the_callers_allocator),
        cmocka_unit_test(every_allocation_failure_is_clean),
        cmocka_unit_test(profile_defaults_are_the_policys),
        cmocka_unit_test(parameters_are_set_and_type_checked),
        cmocka_unit_test(poverty_lines_are_never_guessed),
        cmocka_unit_test(areas_are_added_in_hierarchy_order),
        cmocka_unit_test(bad_areas_are_refused_and_change_nothing),
        cmocka_unit_test(entities_are_validated),
        cmocka_unit_test(households_are_validated),
        cmocka_unit_test(a_large_batch_loads_in_one_call),
        cmocka_unit_test(guarantees_are_recorded_once_per_year),
        cmocka_unit_test(guarantees_of_the_first_and_last_years),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
