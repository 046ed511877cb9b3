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

/* Each record kind's: int vipa_area_init(vipa_area *out, unsigned int version), ...,
 * from the kind's _INIT value, version and sizes (vipa__record_kinds). */
#define INIT_FUNCTION(plural, singular, SINGULAR, ...)                                     \
    int vipa_##singular##_init(vipa_##singular *out, unsigned int version)                 \
    {                                                                                      \
        const vipa__record_kind *k = &vipa__record_kinds[VIPA_KIND_##SINGULAR];             \
        return init_struct(out, version, k->known_version, k->init, k->sizes, k->item_size); \
    }
VIPA_RECORD_KINDS(INIT_FUNCTION)
#undef INIT_FUNCTION

int vipa_run_options_init(vipa_run_options *out, unsigned int version)
{
    static const vipa_run_options init = VIPA_RUN_OPTIONS_INIT;
    return init_struct(out, version, VIPA_RUN_OPTIONS_VERSION, &init, NULL, sizeof init);
}
