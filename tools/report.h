/* The county report of `vipa report` (docs/report.md): the numbers of the page computed
 * once (report_model.c), the words of its two languages (report_words.c), and the pages
 * rendered from them (report_html.c, report_chart.c, report_action.c). Nothing here is
 * part of the library's API. */
#ifndef VIPA_REPORT_H
#define VIPA_REPORT_H

#include "html.h"

/* ---- report_model.c: the numbers --------------------------------------------------- */

/* The money kinds of a rollup: the three linkage kinds, then dividends. */
enum { REPORT_WAGE, REPORT_LAND_RENT, REPORT_PARTICIPATION, REPORT_DIVIDEND, REPORT_KINDS };
/* The outcomes counted: compliant, rectification, restored, terminated. */
#define REPORT_OUTCOMES 4

/* What one area (or the whole run) adds up to in one year of the run. */
typedef struct report_year_stats {
    size_t exits;   /* households whose exit_year is this year */
    size_t willing; /* coverage rows of the area's villages */
    size_t covered;
    size_t outcomes[REPORT_OUTCOMES]; /* evaluations by the core village of their entity */
    vipa_fen due[REPORT_KINDS], paid[REPORT_KINDS];
} report_year_stats;

/* A county, town or village of the run: those the scenario names, and any a household
 * lies in. */
typedef struct report_place {
    uint64_t code;
    int level;        /* VIPA_AREA_COUNTY, _TOWN or _VILLAGE */
    const char *name; /* borrowed from the names; NULL when none */
    size_t households, open;
    size_t first_lift, nlift; /* a village's rows of report_model.lift */
} report_place;

/* A household still to lift (未脱贫户) in the last complete year. */
typedef struct report_lift {
    uint64_t household, village;
    vipa_fen income, line, gap; /* gap = line - income, <= 0 when income is not what holds it */
} report_lift;

/* An error finding placed in the action section: its entity and agreement (0: none; an
 * entity of 0 is the last group, "other"), with their money owed. */
typedef struct report_action {
    uint64_t entity, agreement;
    vipa_fen entity_owed, agreement_owed;
    size_t finding;
} report_action;

/* An entity whose core village is a given village (for the grouping of a village's
 * findings): sorted by core, then entity. */
typedef struct report_core {
    uint64_t core, entity;
} report_core;

typedef struct report_model {
    size_t nyear;
    size_t ystar; /* the last complete year's index (the last year when none is) */
    report_place *places; /* sorted by code */
    size_t nplace;
    report_year_stats *stats; /* (nplace + 1) × nyear: place p's year y at p × nyear + y;
                                 the whole run's at nplace × nyear */
    size_t households, open;  /* the whole run */
    report_lift *lift;        /* by village, gap descending, then id */
    size_t nlift;
    report_action *actions; /* in the order of the action section */
    size_t nactions;
    vipa_fen *agreement_owed; /* parallel to names->agreements */
    vipa_fen *entity_owed;    /* parallel to names->entities */
    vipa_fen *dividend_owed;  /* parallel to names->entities: its dividends alone */
    report_core *cores;       /* the entities with a core village, by core */
    size_t ncore;
} report_model;

/* Computes the page's numbers from the run and the names; 0, or -1 out of memory. */
int report_model_build(report_model *m, const vipa_result *r, const report_names *names);
void report_model_free(report_model *m);

const report_place *report_place_find(const report_model *m, uint64_t code);
/* The stats of place @p p (NULL: the whole run) in year index @p y. */
const report_year_stats *report_stats(const report_model *m, const report_place *p, size_t y);
/* The places under @p parent (0: all) as an index range of places[], the parent's own
 * and every level below it included: a caller keeps the level it lists. */
void report_places_under(const report_model *m, uint64_t parent, size_t *first, size_t *end);
/* Whether @p code lies in the area @p area (a county, town or village code). */
int report_code_within(uint64_t code, uint64_t area);
/* The entity and agreement a finding about @p kind @p id is grouped under (0: none; an
 * entity of 0 is the last group, "other"), by the rules of docs/report.md. */
void report_finding_group(const report_model *m, const report_names *names, vipa_subject_kind kind,
                          uint64_t id, uint64_t *entity, uint64_t *agreement);

/* ---- report_homes.c: where each row lives in the linked pages ------------------------ */

/* The kinds of rows of an entity's section, in their order on the page. */
enum {
    REPORT_PART_ERRORS,      /* the error findings (report_model.actions) */
    REPORT_PART_EVALUATIONS, /* years[].evaluations */
    REPORT_PART_DISCLOSURE,  /* the disclosure list */
    REPORT_PART_NOTICES,     /* warnings, then notices */
    REPORT_PART_COVERAGE,    /* years[].coverage */
    REPORT_PARTS
};

/* One row: errors: a = index of actions[]; evaluations, coverage: a = year index, b = its
 * row; disclosure: a = its row; notices: a = the finding. */
typedef struct report_row {
    size_t a, b;
    int part;
} report_row;

/* What one section of the linked pages holds: an entity's rows, or the rest of a set
 * (entity 0: a town's own warnings, notices and coverage; on action-other, the "other"
 * group and every row without a town). A set is a town (its index in places[]) or
 * action-other (nplace). */
typedef struct report_block {
    size_t set;
    uint64_t entity;
    vipa_fen owed; /* the entity's, 0 for a rest */
    size_t first_row, nrow;
    size_t parts[REPORT_PARTS]; /* rows of each kind */
    size_t target;              /* internal to report_homes.c */
} report_block;

typedef struct report_homes {
    report_block *blocks; /* by set, then report_block_rank() */
    size_t nblock;
    report_row *rows;     /* by block, then kind, then the single page's order */
    size_t nrow;
    size_t *set_first;    /* set s's blocks: set_first[s] to set_first[s + 1]; nplace + 2 of them */
    report_block **order; /* every block by report_block_rank(), across sets */
} report_homes;

int report_homes_build(report_homes *h, const report_model *m, const vipa_result *r,
                       const report_names *names);
void report_homes_free(report_homes *h);
/* Entities with errors first, by owed descending, then by id; the rests last. */
int report_block_rank(const report_block *a, const report_block *b);
int report_block_ptr_rank(const void *a, const void *b);

/* ---- report_words.c: the two languages -------------------------------------------- */

typedef struct report_opts {
    int en;              /* --lang en */
    const char *unit;    /* --unit TEXT or NULL */
    vipa_date printed;   /* --printed DATE or 0 */
    const char *source;  /* names the scenario in the footer */
    int multi;           /* -o DIR/: linked pages */
    size_t page_bytes;   /* a page's bound (multi) */
} report_opts;

/* @p zh or @p en by the page's language. */
#define REPORT_W(o, zh_text, en_text) ((o)->en ? (en_text) : (zh_text))

const char *report_outcome_word(const report_opts *o, int outcome);
const char *report_severity_word(const report_opts *o, vipa_severity s);
const char *report_subject_word(const report_opts *o, vipa_subject_kind kind);
const char *report_kind_word(const report_opts *o, int kind);
/* A finding's expected or actual value with its words (levels, not_provided) translated. */
void report_value_text(html_buf *b, const report_opts *o, vipa_rule rule, const char *value);
/* A date as 2020年1月31日 (or 31 January 2020). */
void report_date_text(html_buf *b, const report_opts *o, vipa_date date);
/* "300,000.00" (yuan, grouped). */
const char *report_yuan(char *buf, size_t size, vipa_fen amount);
/* <span class="rule"><span class="rule-title">…</span> <small class="rule-id">…</small></span> */
void report_rule_ref(html_buf *b, const report_opts *o, vipa_rule rule);
/* A finding's message in the page's language, without the "(RULE_ID, clause)" at its end:
 * the rule is named beside it by report_rule_ref(). */
void report_finding_message(html_buf *b, const report_opts *o, const vipa_findings *f, size_t i);
/* "商州区 <span class=code>611002000000</span>" */
void report_area_label(html_buf *b, const report_names *names, uint64_t code);
void report_entity_label(html_buf *b, const report_names *names, uint64_t id);
const char *report_code_text(char *buf, uint64_t code);

/* ---- report_chart.c: the trends ------------------------------------------------------ */

/* The four trend charts (exits, coverage, dues, outcomes) of place @p p (NULL: the run). */
void report_trends(html_buf *b, const report_opts *o, const vipa_result *r, const report_model *m,
                   const report_place *p);

/* ---- report_action.c: what needs action first, and the notices ---------------------- */

/* The action section. With @p budget > 0 (the index of the linked pages) the rows of
 * findings stop once the page holds that many bytes, the rest counted. */
void report_action_section(html_buf *b, const report_opts *o, const cli_session *s, const report_model *m,
                   const report_names *names, size_t budget);
/* The notices (<details class="notices">): evaluations, disclosure, warnings and notices,
 * coverage by core village; rows bounded by @p budget as report_action()'s. */
void report_notices(html_buf *b, const report_opts *o, const cli_session *s,
                    const report_names *names, size_t budget);

/* The sections of the linked pages: block @p blk's section opened (@p continued: on a
 * page after its first), its row @p r, its end; @p st carries what is open between rows
 * (start with REPORT_BLOCK_STATE_INIT). */
typedef struct report_block_state {
    int part; /* the kind of rows open, -1 none */
    uint64_t agreement;
} report_block_state;
#define REPORT_BLOCK_STATE_INIT {-1, 0}

void report_block_open(html_buf *b, const report_opts *o, const report_model *m,
                       const report_names *names, const report_block *blk, int continued);
void report_block_row(html_buf *b, const report_opts *o, const cli_session *s, const report_model *m,
                      const report_names *names, const report_homes *h, const report_block *blk,
                      size_t r, report_block_state *st);
void report_block_close(html_buf *b, report_block_state *st);
/* The link to block @p blk's section on page @p part of its set (0: the first). */
void report_block_href(html_buf *b, const report_model *m, const report_block *blk, unsigned part);
/* The index's action section: the entities with errors by owed, each with its count and
 * a link to its section (@p block_part: the page of its set each block begins on), cut
 * at @p budget bytes; the rest counted in p.more. */
void report_action_summary(html_buf *b, const report_opts *o, const report_model *m,
                           const report_names *names, const report_homes *h,
                           const unsigned *block_part, size_t budget);
/* A county page's entities (those whose core village lies in @p county), by owed. */
void report_county_entities(html_buf *b, const report_opts *o, const report_model *m,
                            const report_names *names, const report_homes *h,
                            const unsigned *block_part, uint64_t county, size_t budget);
/* The index's notices: how many of each kind, and where they are. */
void report_notices_summary(html_buf *b, const report_opts *o, const cli_session *s);

/* ---- report_html.c: the pages --------------------------------------------------------- */

/* The page's head, style sheet and frame up to <main>; its footer and end. */
void report_page_begin(html_buf *b, const report_opts *o, const cli_session *s, const char *title);
void report_page_end(html_buf *b, const report_opts *o, const cli_session *s);

/* The single page. Returns 0, or -1 out of memory (or when the sink refused bytes). */
int report_single_page(html_buf *b, const report_opts *o, const cli_session *s,
                       const report_model *m, const report_names *names);

/* The pages of -o DIR/: index.html, county-CODE.html, town-CODE.html and its
 * continuations town-CODE-2.html ..., action-other.html and its continuations. A page is
 * asked for by report_pages_name() and rendered by report_pages_render() through @p b
 * (whose sink is the page's file). Every town's pages (and action-other's) are planned
 * first by a dry run that only counts bytes: where each page begins, so that every link
 * to a village or an entity's section names the page it is on, the index's too. */
typedef struct report_pos {
    int stage;   /* 0: the villages, 1: the blocks */
    size_t item; /* a village (index of places[]) or a block (of homes.blocks) */
    size_t row;  /* its next row */
} report_pos;

typedef struct report_plan {
    size_t set;  /* a town (index of places[]) or nplace: action-other */
    size_t part; /* the set's page, 0 for its first */
    report_pos from;
} report_plan;

typedef struct report_pages {
    int stage;         /* 0 index, 1 counties, 2 towns and action-other, 3 done */
    size_t place;      /* the county (index of places[]) */
    size_t page;       /* the next of plan[] */
    report_plan *plan; /* every page of the towns and action-other, in order */
    size_t nplan, plan_cap;
    unsigned *village_part; /* per place: the page of the town its village is on */
    unsigned *block_part;   /* per block: the page of its set its section begins on */
    report_homes homes;
} report_pages;

/* Places every row and plans every page. Returns 0, or -1 out of memory. */
int report_pages_init(report_pages *it, const report_opts *o, const cli_session *s,
                      const report_model *m, const report_names *names);
void report_pages_free(report_pages *it);
/* The next page's file name (malloc'd), or NULL: *done is 1 when none is left, else
 * memory ran out. */
char *report_pages_name(report_pages *it, const report_model *m, int *done);
/* Renders the page report_pages_name() named and moves @p it to the next. Returns 0, or
 * -1 out of memory or when the sink refused bytes. */
int report_pages_render(report_pages *it, html_buf *b, const report_opts *o, const cli_session *s,
                        const report_model *m, const report_names *names);

#endif /* VIPA_REPORT_H */
