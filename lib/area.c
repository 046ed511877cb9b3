/* The area module: statistical division codes and the signer rule of 四(二) (see
 * include/vipa/area.h), and the pairwise form of that rule the agreement module uses on
 * stored records (area_internal.h). */
#include "area_internal.h"
#include "vipa/area.h"
#include "vipa/error.h"
#include "vocab_internal.h"

/* Codes have 12 digits (the unit of each level's digits: area_internal.h). */
#define CODE_MIN UINT64_C(100000000000)
#define CODE_MAX UINT64_C(999999999999)
enum { CODE_DIGITS = 12 };

vipa_area_level vipa_area_code_level(vipa_area_code code)
{
    /* County digits 00 name a province or a city, which the plan does not use. */
    if (code < CODE_MIN || code > CODE_MAX || code / VIPA_COUNTY_UNIT % 100 == 0)
        return VIPA_AREA_NONE;
    if (code % VIPA_COUNTY_UNIT == 0)
        return VIPA_AREA_COUNTY;
    /* Town digits 000 with village digits set would be a village outside any town. */
    if (code / VIPA_TOWN_UNIT % 1000 == 0)
        return VIPA_AREA_NONE;
    return code % VIPA_TOWN_UNIT == 0 ? VIPA_AREA_TOWN : VIPA_AREA_VILLAGE;
}

int vipa_area_code_parse(vipa_area_code *out, const char *text)
{
    if (!out || !text)
        return VIPA_E_INVALID;
    vipa_area_code code = 0;
    int i = 0;
    /* Stops at the first non-digit, so a NUL ends the scan before reading past it. */
    for (; i < CODE_DIGITS && text[i] >= '0' && text[i] <= '9'; i++)
        code = code * 10 + (vipa_area_code)(text[i] - '0');
    if (i < CODE_DIGITS || text[CODE_DIGITS] != '\0')
        return VIPA_E_PARSE;
    if (vipa_area_code_level(code) == VIPA_AREA_NONE)
        return VIPA_E_RANGE;
    *out = code;
    return VIPA_OK;
}

int vipa_area_code_format(char *buf, size_t size, vipa_area_code code)
{
    if (!buf)
        return VIPA_E_INVALID;
    if (vipa_area_code_level(code) == VIPA_AREA_NONE || size < VIPA_AREA_CODE_SIZE) {
        if (size > 0)
            buf[0] = '\0';
        return VIPA_E_RANGE;
    }
    /* A valid code has exactly 12 digits, so no padding is ever needed. */
    for (int i = CODE_DIGITS - 1; i >= 0; i--) {
        buf[i] = (char)('0' + code % 10);
        code /= 10;
    }
    buf[CODE_DIGITS] = '\0';
    return VIPA_OK;
}

/* The code of the area of the given level that contains code (level at or above code's). */
static vipa_area_code truncate_to(vipa_area_code code, vipa_area_level level)
{
    if (level == VIPA_AREA_COUNTY)
        return code - code % VIPA_COUNTY_UNIT;
    if (level == VIPA_AREA_TOWN)
        return vipa__town_of(code);
    return code;
}

int vipa_area_code_parent(vipa_area_code *out, vipa_area_code code, vipa_area_level level)
{
    vipa_area_level own = vipa_area_code_level(code);
    if (!out || own == VIPA_AREA_NONE)
        return VIPA_E_INVALID;
    /* Higher levels have smaller values; the cast keeps an out-of-range value out of
     * range whether the compiler made the enum signed or unsigned. */
    unsigned int wanted = (unsigned int)level;
    if (wanted < VIPA_AREA_COUNTY || wanted > (unsigned int)own)
        return VIPA_E_RANGE;
    *out = truncate_to(code, level);
    return VIPA_OK;
}

vipa_signer_level vipa__signer_of_pair(vipa_area_code core, vipa_area_code village)
{
    if (village == core)
        return VIPA_SIGNER_VILLAGE;
    if (village / VIPA_TOWN_UNIT == core / VIPA_TOWN_UNIT)
        return VIPA_SIGNER_TOWN;
    if (village / VIPA_COUNTY_UNIT == core / VIPA_COUNTY_UNIT)
        return VIPA_SIGNER_COUNTY;
    return VIPA_SIGNER_NOT_PROVIDED;
}

vipa_area_code vipa__signing_area(vipa_area_code core, vipa_signer_level level)
{
    switch (level) {
    case VIPA_SIGNER_VILLAGE:
        return core;
    case VIPA_SIGNER_TOWN:
        return truncate_to(core, VIPA_AREA_TOWN);
    case VIPA_SIGNER_COUNTY:
        return truncate_to(core, VIPA_AREA_COUNTY);
    default:
        return 0; /* across counties the plan names no one */
    }
}

static int all_villages(vipa_area_code core, const vipa_area_code *villages, size_t n)
{
    if (vipa_area_code_level(core) != VIPA_AREA_VILLAGE)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (vipa_area_code_level(villages[i]) != VIPA_AREA_VILLAGE)
            return 0;
    return 1;
}

int vipa_signer_compute(vipa_signer_level *level, vipa_area_code *area,
                        vipa_area_code core_village, const vipa_area_code *villages, size_t n)
{
    if (!level || !area || (!villages && n > 0) || !all_villages(core_village, villages, n))
        return VIPA_E_INVALID;
    /* Every village is compared with the core, which belongs to the span whatever the
     * households: the span is the widest of these pairwise spans. 四(二): one village →
     * committee; several in one town → town government; several towns in one county →
     * county government; beyond a county the plan is silent. */
    vipa_signer_level widest = VIPA_SIGNER_VILLAGE;
    for (size_t i = 0; i < n && widest != VIPA_SIGNER_NOT_PROVIDED; i++) {
        vipa_signer_level pair = vipa__signer_of_pair(core_village, villages[i]);
        if (pair > widest)
            widest = pair;
    }
    *level = widest;
    *area = vipa__signing_area(core_village, widest);
    return VIPA_OK;
}

/* The contract's word (vocab.c); the C API names the other values as it always has. */
const char *vipa_signer_level_name(vipa_signer_level level)
{
    if (level == VIPA_SIGNER_UNRECORDED)
        return "unrecorded";
    const char *word = vipa__word(VIPA_VOCAB_SIGNER_LEVEL, (int)level);
    return word ? word : "unknown";
}

const char *vipa_area_level_name(vipa_area_level level)
{
    if (level == VIPA_AREA_NONE)
        return "none";
    const char *word = vipa__word(VIPA_VOCAB_AREA_LEVEL, (int)level);
    return word ? word : "unknown";
}
