/*
 * The init module: runtime initialisers of the versioned input structs
 * (vipa_household_init() and the others): what each _INIT macro gives, for callers that
 * cannot use C macros. A caller
 * built against an older header passes its older, shorter struct and its version: only
 * that version's bytes are written.
 */
#include <stddef.h>
#include <string.h>

#include "registry_internal.h"
#include "vipa.h"

/* Writes the first `size` bytes of the current _INIT value, then the caller's version. */
static int init_struct(void *out, unsigned int version, unsigned int known, const void *init,
                       const size_t *sizes, size_t size)
{
    if (!out)
        return VIPA_E_INVALID;
    if (version == 0 || version > known)
        return VIPA_E_VERSION;
    memcpy(out, init, sizes ? sizes[version - 1] : size);
    memcpy(out, &version, sizeof version); /* every versioned struct begins with it */
    return VIPA_OK;
}


int vipa_ctx_options_init(vipa_ctx_options *out, unsigned int version)
{
    static const vipa_ctx_options init = VIPA_CTX_OPTIONS_INIT;
    return init_struct(out, version, VIPA_CTX_OPTIONS_VERSION, &init, NULL, sizeof init);
}

int vipa_area_init(vipa_area *out, unsigned int version)
{
    static const vipa_area init = VIPA_AREA_INIT;
    return init_struct(out, version, VIPA_AREA_VERSION, &init, NULL, sizeof init);
}

int vipa_entity_init(vipa_entity *out, unsigned int version)
{
    static const vipa_entity init = VIPA_ENTITY_INIT;
    return init_struct(out, version, VIPA_ENTITY_VERSION, &init, NULL, sizeof init);
}

int vipa_household_init(vipa_household *out, unsigned int version)
{
    static const vipa_household init = VIPA_HOUSEHOLD_INIT;
    return init_struct(out, version, VIPA_HOUSEHOLD_VERSION, &init, NULL, sizeof init);
}

int vipa_assured_init(vipa_assured *out, unsigned int version)
{
    static const vipa_assured init = VIPA_ASSURED_INIT;
    return init_struct(out, version, VIPA_ASSURED_VERSION, &init, NULL, sizeof init);
}

int vipa_agreement_init(vipa_agreement *out, unsigned int version)
{
    static const vipa_agreement init = VIPA_AGREEMENT_INIT;
    return init_struct(out, version, VIPA_AGREEMENT_VERSION, &init, vipa__agreement_sizes, sizeof init);
}

int vipa_plan_init(vipa_plan *out, unsigned int version)
{
    static const vipa_plan init = VIPA_PLAN_INIT;
    return init_struct(out, version, VIPA_PLAN_VERSION, &init, NULL, sizeof init);
}

int vipa_linkage_init(vipa_linkage *out, unsigned int version)
{
    static const vipa_linkage init = VIPA_LINKAGE_INIT;
    return init_struct(out, version, VIPA_LINKAGE_VERSION, &init, NULL, sizeof init);
}

int vipa_injection_init(vipa_injection *out, unsigned int version)
{
    static const vipa_injection init = VIPA_INJECTION_INIT;
    return init_struct(out, version, VIPA_INJECTION_VERSION, &init, NULL, sizeof init);
}

int vipa_contribution_init(vipa_contribution *out, unsigned int version)
{
    static const vipa_contribution init = VIPA_CONTRIBUTION_INIT;
    return init_struct(out, version, VIPA_CONTRIBUTION_VERSION, &init, NULL, sizeof init);
}

int vipa_transfer_init(vipa_transfer *out, unsigned int version)
{
    static const vipa_transfer init = VIPA_TRANSFER_INIT;
    return init_struct(out, version, VIPA_TRANSFER_VERSION, &init, NULL, sizeof init);
}

int vipa_dividend_init(vipa_dividend *out, unsigned int version)
{
    static const vipa_dividend init = VIPA_DIVIDEND_INIT;
    return init_struct(out, version, VIPA_DIVIDEND_VERSION, &init, NULL, sizeof init);
}

int vipa_payment_init(vipa_payment *out, unsigned int version)
{
    static const vipa_payment init = VIPA_PAYMENT_INIT;
    return init_struct(out, version, VIPA_PAYMENT_VERSION, &init, NULL, sizeof init);
}

int vipa_income_init(vipa_income *out, unsigned int version)
{
    static const vipa_income init = VIPA_INCOME_INIT;
    return init_struct(out, version, VIPA_INCOME_VERSION, &init, NULL, sizeof init);
}

int vipa_evaluation_init(vipa_evaluation *out, unsigned int version)
{
    static const vipa_evaluation init = VIPA_EVALUATION_INIT;
    return init_struct(out, version, VIPA_EVALUATION_VERSION, &init, NULL, sizeof init);
}

int vipa_run_options_init(vipa_run_options *out, unsigned int version)
{
    static const vipa_run_options init = VIPA_RUN_OPTIONS_INIT;
    return init_struct(out, version, VIPA_RUN_OPTIONS_VERSION, &init, NULL, sizeof init);
}
