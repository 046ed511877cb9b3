/*
 * The runtime initialisers (vipa_household_init() and the others, issue #15): each gives
 * the bytes of its _INIT macro, refuses NULL and unknown versions without writing, and
 * for an older version writes that version's struct and not one byte past it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"

/* init(out, VERSION) gives the macro's value; NULL, 0 and VERSION + 1 are refused, the
 * struct untouched. The macro's value is a static object, whose padding is zero (C11
 * 6.7.9), as is the library's: the bytes compare whole. */
#define CHECK_INIT(type, mac)                                                             \
    do {                                                                                  \
        static const type expected = mac##_INIT;                                          \
        type got;                                                                         \
        memset(&got, 0, sizeof got);                                                      \
        assert_int_equal(type##_init(&got, mac##_VERSION), VIPA_OK);                      \
        assert_memory_equal(&got, &expected, sizeof got);                                 \
        assert_int_equal(type##_init(NULL, mac##_VERSION), VIPA_E_INVALID);               \
        memset(&got, 0x5A, sizeof got);                                                   \
        type before = got;                                                                \
        assert_int_equal(type##_init(&got, 0), VIPA_E_VERSION);                           \
        assert_int_equal(type##_init(&got, mac##_VERSION + 1), VIPA_E_VERSION);           \
        assert_memory_equal(&got, &before, sizeof got);                                   \
    } while (0)

static void every_initialiser_gives_its_macro(void **state)
{
    (void)state;
    CHECK_INIT(vipa_ctx_options, VIPA_CTX_OPTIONS);
    CHECK_INIT(vipa_area, VIPA_AREA);
    CHECK_INIT(vipa_entity, VIPA_ENTITY);
    CHECK_INIT(vipa_household, VIPA_HOUSEHOLD);
    CHECK_INIT(vipa_assured, VIPA_ASSURED);
    CHECK_INIT(vipa_agreement, VIPA_AGREEMENT);
    CHECK_INIT(vipa_plan, VIPA_PLAN);
    CHECK_INIT(vipa_linkage, VIPA_LINKAGE);
    CHECK_INIT(vipa_injection, VIPA_INJECTION);
    CHECK_INIT(vipa_contribution, VIPA_CONTRIBUTION);
    CHECK_INIT(vipa_transfer, VIPA_TRANSFER);
    CHECK_INIT(vipa_dividend, VIPA_DIVIDEND);
    CHECK_INIT(vipa_payment, VIPA_PAYMENT);
    CHECK_INIT(vipa_income, VIPA_INCOME);
    CHECK_INIT(vipa_evaluation, VIPA_EVALUATION);
    CHECK_INIT(vipa_run_options, VIPA_RUN_OPTIONS);
}

/* A caller built against the version-1 header has a shorter agreement: version 1 writes
 * its fields (version 1, household_count -1, the rest 0) and stops where `support` would
 * begin; the bytes after are the caller's, untouched. */
static void an_older_version_writes_only_its_own_struct(void **state)
{
    (void)state;
    size_t v1 = offsetof(vipa_agreement, support);
    unsigned char buffer[sizeof(vipa_agreement) + 16];
    memset(buffer, 0xEE, sizeof buffer);
    assert_int_equal(vipa_agreement_init((vipa_agreement *)(void *)buffer, 1), VIPA_OK);
    for (size_t i = v1; i < sizeof buffer; i++)
        assert_int_equal(buffer[i], 0xEE);
    vipa_agreement a;
    memcpy(&a, buffer, v1);
    assert_int_equal(a.version, 1);
    assert_int_equal(a.household_count, -1);
    assert_int_equal(a.id, 0);
    assert_null(a.households);
    assert_int_equal(a.signer_level, VIPA_SIGNER_UNRECORDED);
}

/* What an initialiser gives is accepted by the add it is for. */
static void an_initialised_record_is_added(void **state)
{
    (void)state;
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    vipa_area area;
    assert_int_equal(vipa_area_init(&area, VIPA_AREA_VERSION), VIPA_OK);
    area.code = 611002000000ULL;
    area.level = VIPA_AREA_COUNTY;
    area.name = "商州区";
    assert_int_equal(vipa_ctx_add_areas(ctx, &area, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_area_count(ctx), 1);
    vipa_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_initialiser_gives_its_macro),
        cmocka_unit_test(an_older_version_writes_only_its_own_struct),
        cmocka_unit_test(an_initialised_record_is_added),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
