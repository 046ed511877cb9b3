/*
 * The area module's internals (area.c), shared with the modules above it; never
 * installed. A code is 6 county digits, 3 town digits, 3 village digits: PPCCDD TTT VVV.
 */
#ifndef VIPA_AREA_INTERNAL_H
#define VIPA_AREA_INTERNAL_H

#include "vipa/area.h"

/* One step of the town digits' and of the county digits' place in a code. */
#define VIPA_TOWN_UNIT UINT64_C(1000)      /* code / VIPA_TOWN_UNIT: the town's 9-digit prefix */
#define VIPA_COUNTY_UNIT UINT64_C(1000000) /* code / VIPA_COUNTY_UNIT: the county's 6 digits */

/* The code of the town that holds a village: its village digits set to 000. */
static inline vipa_area_code vipa__town_of(vipa_area_code village)
{
    return village - village % VIPA_TOWN_UNIT;
}

/* Who signs for the span of the core village and one more village (四(二)): one
 * village, one town, one county, or beyond. Wider spans have larger values, so the
 * signer for many villages is the largest over each village paired with the core. */
vipa_signer_level vipa__signer_of_pair(vipa_area_code core, vipa_area_code village);

/* The signing area of a signer level: the core village itself, or the town or county
 * that holds it; 0 across counties, where the plan names no one. */
vipa_area_code vipa__signing_area(vipa_area_code core, vipa_signer_level level);

#endif /* VIPA_AREA_INTERNAL_H */
