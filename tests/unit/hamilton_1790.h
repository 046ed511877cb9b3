/*
 * The 1790 US census apportionment populations and Hamilton's apportionment of 120
 * seats, as published; used to check vipa_split() against an outside table.
 *
 * Populations: the 15 states' apportionment populations of the 1790 census, total
 * 3,615,920 (e.g. the "First Apportionment of the House of Representatives" table).
 * Seats: COMAP, "For All Practical Purposes", 10th ed., ch. 14, Example 6 / Table 14.5
 * ("The Vetoed Apportionment Bill by Hamilton's Method"): the lower quotas sum to 111
 * and the 9 seats left go to NJ (5.959), VA (20.926), CT (7.860), SC (6.844),
 * DE (1.843), VT (2.839), MA (15.774), NC (11.732) and NH (4.707).
 */
#ifndef HAMILTON_1790_H
#define HAMILTON_1790_H

#define HAMILTON_STATES 15
#define HAMILTON_SEATS 120
#define HAMILTON_TOTAL_POPULATION 3615920

static const struct {
    const char *state;
    uint64_t population;
    int seats;
} hamilton_1790[HAMILTON_STATES] = {
    {"Connecticut", 236841, 8},
    {"Delaware", 55540, 2},
    {"Georgia", 70835, 2},
    {"Kentucky", 68705, 2},
    {"Maryland", 278514, 9},
    {"Massachusetts", 475327, 16},
    {"New Hampshire", 141822, 5},
    {"New Jersey", 179570, 6},
    {"New York", 331589, 11},
    {"North Carolina", 353523, 12},
    {"Pennsylvania", 432879, 14},
    {"Rhode Island", 68446, 2},
    {"South Carolina", 206236, 7},
    {"Vermont", 85533, 3},
    {"Virginia", 630560, 21},
};

#endif /* HAMILTON_1790_H */
