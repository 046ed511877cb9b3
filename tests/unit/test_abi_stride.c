/*
 * The agreement struct across versions (include/vipa/agreement.h): version 2 (issue #14)
 * appended `support` and `dividend_bp` to version 1. A program built against the 0.1
 * header passes an array of the shorter version-1 structs; the library must step
 * through it by the version-1 size, not its own sizeof, and give the new fields their
 * defaults (no texts, no agreed rate). A struct of a later version than the library
 * knows is refused before anything is read past its version.
 *
 * vipa_agreement_v1 is the struct exactly as `git show HEAD:include/vipa/agreement.h`
 * (0.1) declares it. Each record is checked through what the library makes of it: the
 * scenario export (every field of every agreement, read back with jansson) and a run
 * (the signer rows, one per agreement by id).
 *
 * The place is real: 商州区 (611002000000), 城关街道 (611002001000), 杏树园村
 * (611002001204); the entity, households and amounts are illustrative.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "vipa.h"
#include "fixture.h"

/* ---- the structs of other versions ------------------------------------------------------- */

/* Version 1 of vipa_agreement, field for field (0.1). */
typedef struct vipa_agreement_v1 {
    unsigned int version;
    vipa_id id;
    vipa_id entity;
    const vipa_id *households;
    size_t household_len;
    int64_t household_count;
    size_t project_count;
    size_t support_count;
    vipa_date start;
    vipa_date end;
    int exit_deadline;
    vipa_date signed_on;
    vipa_signer_level signer_level;
    vipa_area_code signer_area;
} vipa_agreement_v1;

/* A version from a newer header: version 2 and one more field after it. */
typedef struct vipa_agreement_v3 {
    vipa_agreement v2;
    int appended;
} vipa_agreement_v3;

/* The two layouts share their first fields, and version 1 is shorter: the library
 * cannot use its own sizeof to step through a version-1 array (on this ABI 96 bytes
 * against 112). */
_Static_assert(offsetof(vipa_agreement_v1, signer_area) == offsetof(vipa_agreement, signer_area),
               "version 2 keeps version 1's fields where they were");
_Static_assert(sizeof(vipa_agreement_v1) < sizeof(vipa_agreement),
               "version 2 is longer than version 1");
_Static_assert(sizeof(vipa_agreement_v3) > sizeof(vipa_agreement), "version 3 is longer still");

/* ---- the world ------------------------------------------------------------------------- */

/* Entity 1 of 杏树园村; households 1001, 1002, 1003 of 杏树园村 (4, 3, 2 members). */
static vipa_ctx *new_world(void)
{
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    const vipa_area_code places[3] = {SHANGZHOU, CHENGGUAN, XINGSHUYUAN};
    fixture_add_places(ctx, places, 3, "核桃");
    fixture_add_entity(ctx, fixture_entity(1, "杏树园核桃专业合作社", XINGSHUYUAN, "核桃"));
    for (int i = 0; i < 3; i++)
        fixture_add_household(ctx, fixture_household((vipa_id)(1001 + i), XINGSHUYUAN, 4 - i));
    return ctx;
}

static const vipa_id one_each[3] = {1001, 1002, 1003};

/* Version-1 agreement k (0..2): id 11 + k, household 1001 + k, exit deadline 2017 + k,
 * period 2016-11-0(1 + k)..2019-12-31, 1 + k projects, 2 support measures (by number:
 * version 1 has no texts), signed 2016-11-15 by 杏树园村's committee. */
static vipa_agreement_v1 v1_agreement(int k)
{
    vipa_agreement_v1 a;
    memset(&a, 0, sizeof a);
    a.version = 1;
    a.id = (vipa_id)(11 + k);
    a.entity = 1;
    a.households = &one_each[k];
    a.household_len = 1;
    a.household_count = 1;
    a.project_count = (size_t)(1 + k);
    a.support_count = 2;
    a.start = 20161101 + k;
    a.end = 20191231;
    a.exit_deadline = 2017 + k;
    a.signed_on = 20161115;
    a.signer_level = VIPA_SIGNER_VILLAGE;
    a.signer_area = XINGSHUYUAN;
    return a;
}

/* ---- reading back what the library made of them ------------------------------------------ */

static json_t *exported_agreements(vipa_ctx *ctx, json_t **root)
{
    char *text = NULL;
    size_t length = 0;
    assert_int_equal(vipa_scenario_export(&text, &length, ctx, 0), VIPA_OK);
    json_error_t error;
    *root = json_loads(text, JSON_REJECT_DUPLICATES, &error);
    vipa_free(text);
    if (!*root)
        fail_msg("the export is not JSON: %s", error.text);
    json_t *list = json_object_get(*root, "agreements");
    assert_true(json_is_array(list));
    return list;
}

static const json_t *agreement_by_id(const json_t *list, long long id)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *a = json_array_get(list, i);
        if (json_integer_value(json_object_get(a, "id")) == id)
            return a;
    }
    fail_msg("agreement %lld is not in the export", id);
    return NULL;
}

static long long int_at(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v))
        fail_msg("\"%s\" is not an integer", key);
    return json_integer_value(v);
}

static const char *text_at(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (!json_is_string(v))
        fail_msg("\"%s\" is not a string", key);
    return json_string_value(v);
}

/* The number of support measures the export gives an agreement: its texts ("support"),
 * or only their number when no texts were given. */
static size_t support_measures(const json_t *a)
{
    const json_t *texts = json_object_get(a, "support");
    if (texts)
        return json_array_size(texts);
    const json_t *count = json_object_get(a, "support_count");
    return json_is_integer(count) ? (size_t)json_integer_value(count) : 0;
}

/* The export of one agreement: its id, entity, its one household, the deadline and
 * period start it was given, its projects and support measures by number. */
static void assert_exported(const json_t *list, long long id, long long household,
                            long long deadline, const char *start, size_t projects,
                            size_t support)
{
    const json_t *a = agreement_by_id(list, id);
    assert_int_equal(int_at(a, "entity"), 1);
    const json_t *hs = json_object_get(a, "households");
    assert_int_equal(json_array_size(hs), 1);
    assert_int_equal(json_integer_value(json_array_get(hs, 0)), household);
    assert_int_equal(int_at(a, "household_count"), 1);
    assert_int_equal(int_at(a, "exit_deadline"), deadline);
    assert_string_equal(text_at(a, "start"), start);
    assert_string_equal(text_at(a, "end"), "2019-12-31");
    assert_string_equal(text_at(a, "signed"), "2016-11-15");
    assert_int_equal(json_array_size(json_object_get(a, "projects")), projects);
    assert_int_equal(support_measures(a), support);
}

/* The run's signer rows: one per agreement, by id, each 杏树园村's committee. */
static void assert_signers(vipa_ctx *ctx, const vipa_id *ids, size_t n)
{
    vipa_result *r = NULL;
    assert_int_equal(vipa_run(&r, ctx, NULL), VIPA_OK);
    assert_int_equal(vipa_result_signer_count(r), n);
    for (size_t i = 0; i < n; i++) {
        vipa_id id = 0;
        vipa_signer_level level = VIPA_SIGNER_UNRECORDED;
        vipa_area_code area = 0;
        assert_int_equal(vipa_result_signer(&id, &level, &area, r, i), VIPA_OK);
        assert_int_equal(id, ids[i]);
        assert_int_equal(level, VIPA_SIGNER_VILLAGE);
        assert_int_equal(area, XINGSHUYUAN);
    }
    vipa_result_free(r);
}

/* ---- the tests ------------------------------------------------------------------------- */

/*
 * Three version-1 agreements in a heap block of exactly 3 × sizeof(version 1) (so a
 * reader stepping by the version-2 size would read past it, which valgrind reports):
 * all three load, each as given:
 *   11: household 1001, deadline 2017, start 2016-11-01, 1 project;
 *   12: household 1002, deadline 2018, start 2016-11-02, 2 projects;
 *   13: household 1003, deadline 2019, start 2016-11-03, 3 projects;
 * each with its 2 support measures by number and no agreed rate (the version-2 defaults:
 * no texts, dividend_bp 0, so no "dividend_bp" key in the export).
 */
static void version_1_array_is_read_with_its_own_stride(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement_v1 *v1 = malloc(3 * sizeof *v1);
    assert_non_null(v1);
    for (int k = 0; k < 3; k++)
        v1[k] = v1_agreement(k);
    assert_int_equal(vipa_ctx_add_agreements(ctx, (const vipa_agreement *)v1, 3), VIPA_OK);
    free(v1);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_OK);
    assert_int_equal(vipa_ctx_agreement_count(ctx), 3);

    json_t *root = NULL;
    const json_t *list = exported_agreements(ctx, &root);
    assert_int_equal(json_array_size(list), 3);
    assert_exported(list, 11, 1001, 2017, "2016-11-01", 1, 2);
    assert_exported(list, 12, 1002, 2018, "2016-11-02", 2, 2);
    assert_exported(list, 13, 1003, 2019, "2016-11-03", 3, 2);
    for (long long id = 11; id <= 13; id++)
        assert_null(json_object_get(agreement_by_id(list, id), "dividend_bp"));
    json_decref(root);

    const vipa_id ids[3] = {11, 12, 13};
    assert_signers(ctx, ids, 3);
    vipa_ctx_free(ctx);
}

/* The current struct alongside: two version-2 agreements with their new fields, 21 with
 * dividend_bp 500 and the texts "贴息贷款", "技术培训"; 22 with no rate and 1 measure by
 * number; added after the version-1 batch, every one of the five as given. */
static void version_2_array_loads_after_a_version_1_array(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement_v1 v1[3] = {v1_agreement(0), v1_agreement(1), v1_agreement(2)};
    assert_int_equal(vipa_ctx_add_agreements(ctx, (const vipa_agreement *)v1, 3), VIPA_OK);

    static const char *const texts[2] = {"贴息贷款", "技术培训"};
    vipa_agreement v2[2] = {VIPA_AGREEMENT_INIT, VIPA_AGREEMENT_INIT};
    for (int k = 0; k < 2; k++) {
        v2[k].id = (vipa_id)(21 + k);
        v2[k].entity = 1;
        v2[k].households = &one_each[k];
        v2[k].household_len = 1;
        v2[k].household_count = 1;
        v2[k].project_count = 1;
        v2[k].support_count = (size_t)(2 - k);
        v2[k].start = 20170101;
        v2[k].end = 20191231;
        v2[k].exit_deadline = 2018 + k;
        v2[k].signed_on = 20161115;
        v2[k].signer_level = VIPA_SIGNER_VILLAGE;
        v2[k].signer_area = XINGSHUYUAN;
    }
    assert_int_equal(v2[0].version, 2);
    v2[0].support = texts;
    v2[0].dividend_bp = 500;
    assert_int_equal(vipa_ctx_add_agreements(ctx, v2, 2), VIPA_OK);
    assert_int_equal(vipa_ctx_agreement_count(ctx), 5);

    json_t *root = NULL;
    const json_t *list = exported_agreements(ctx, &root);
    assert_int_equal(json_array_size(list), 5);
    assert_exported(list, 11, 1001, 2017, "2016-11-01", 1, 2);
    assert_exported(list, 12, 1002, 2018, "2016-11-02", 2, 2);
    assert_exported(list, 13, 1003, 2019, "2016-11-03", 3, 2);
    assert_exported(list, 21, 1001, 2018, "2017-01-01", 1, 2);
    assert_exported(list, 22, 1002, 2019, "2017-01-01", 1, 1);
    const json_t *a21 = agreement_by_id(list, 21);
    assert_int_equal(int_at(a21, "dividend_bp"), 500);
    const json_t *support = json_object_get(a21, "support");
    assert_string_equal(json_string_value(json_array_get(support, 0)), "贴息贷款");
    assert_string_equal(json_string_value(json_array_get(support, 1)), "技术培训");
    assert_null(json_object_get(agreement_by_id(list, 22), "dividend_bp"));
    json_decref(root);

    const vipa_id ids[5] = {11, 12, 13, 21, 22};
    assert_signers(ctx, ids, 5);
    vipa_ctx_free(ctx);
}

/* A struct from a newer header (version 3: version 2 plus one int) is refused with
 * VIPA_E_VERSION, naming the record and its version; nothing is added. So is a
 * version-1 array whose second record claims version 2 (one array, one type). */
static void later_or_mixed_versions_are_refused(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement_v3 future[2];
    memset(future, 0, sizeof future);
    for (int k = 0; k < 2; k++) {
        vipa_agreement a = VIPA_AGREEMENT_INIT;
        a.id = (vipa_id)(31 + k);
        a.entity = 1;
        a.version = 3;
        future[k].v2 = a;
        future[k].appended = 7;
    }
    assert_int_equal(vipa_ctx_add_agreements(ctx, (const vipa_agreement *)future, 2),
                     VIPA_E_VERSION);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_E_VERSION);
    const char *msg = vipa_ctx_errmsg(ctx);
    if (!strstr(msg, "agreements[0]") || !strstr(msg, "version 3"))
        fail_msg("message \"%s\" should name agreements[0] and version 3", msg);
    assert_int_equal(vipa_ctx_agreement_count(ctx), 0);

    vipa_agreement_v1 v1[2] = {v1_agreement(0), v1_agreement(1)};
    v1[1].version = 2;
    assert_int_equal(vipa_ctx_add_agreements(ctx, (const vipa_agreement *)v1, 2), VIPA_E_VERSION);
    msg = vipa_ctx_errmsg(ctx);
    if (!strstr(msg, "agreements[1]"))
        fail_msg("message \"%s\" should name agreements[1]", msg);
    assert_int_equal(vipa_ctx_agreement_count(ctx), 0);

    /* Corrected, the same version-1 array goes in. */
    v1[1].version = 1;
    assert_int_equal(vipa_ctx_add_agreements(ctx, (const vipa_agreement *)v1, 2), VIPA_OK);
    assert_int_equal(vipa_ctx_agreement_count(ctx), 2);
    vipa_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_1_array_is_read_with_its_own_stride),
        cmocka_unit_test(version_2_array_loads_after_a_version_1_array),
        cmocka_unit_test(later_or_mixed_versions_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
