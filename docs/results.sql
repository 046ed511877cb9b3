-- The results database of `vipa run FILE -o results.db` (docs/database.md): the report
-- of docs/scenario.md ("The report", what `vipa run --json` prints) as SQLite tables,
-- lists in child tables. `vipa schema --results` prints this text.
--
-- Types, as in the input database (`vipa schema`): money INTEGER fen (1 yuan = 100 fen;
-- SUM() of a column is exact), area codes TEXT of 12 digits, ids and counts INTEGER,
-- years INTEGER, dates TEXT 'YYYY-MM-DD', booleans INTEGER 0 or 1, words TEXT (the
-- report's words). NULL where the report has null. Rows are in the report's order.
-- A subject or holder ({"household": 1001}, {"village": "611002001204"}) is a kind and
-- an id: subject_id for households, agreements, linkages, injections and entities,
-- subject_code for villages and towns.

-- The stamp of the run: what makes it reproducible. One row.
CREATE TABLE run (
    vipa           INTEGER NOT NULL,  -- the report format, 1
    library        TEXT NOT NULL,
    profile        TEXT NOT NULL,
    profile_sha256 TEXT NOT NULL,
    input_sha256   TEXT NOT NULL
);

-- Every agreement with the signer its span calls for (四(二)); area NULL with
-- 'not_provided'.
CREATE TABLE signers (
    agreement INTEGER PRIMARY KEY NOT NULL,
    level     TEXT NOT NULL,
    area      TEXT
);

-- The shares of every injection (三(二)): its households, then the remainder holder.
CREATE TABLE allocations (
    injection         INTEGER NOT NULL,
    holder_kind       TEXT NOT NULL,  -- 'household', 'collective' or 'entity'
    holder_household  INTEGER,
    holder_collective TEXT,
    holder_entity     INTEGER,
    amount            INTEGER NOT NULL
);

-- years[]: one row per year of the run.
CREATE TABLE years (
    year     INTEGER PRIMARY KEY NOT NULL,
    complete INTEGER NOT NULL
);

-- years[].households
CREATE TABLE year_households (
    year           INTEGER NOT NULL,
    household      INTEGER NOT NULL,
    income         INTEGER NOT NULL,
    line           INTEGER NOT NULL,
    meets_standard INTEGER NOT NULL,
    PRIMARY KEY (year, household)
);

-- years[].obligations (四(四))
CREATE TABLE obligations (
    year      INTEGER NOT NULL,
    linkage   INTEGER NOT NULL,
    household INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    due       INTEGER NOT NULL,
    paid      INTEGER NOT NULL,
    PRIMARY KEY (year, linkage)
);

-- years[].dividends (二(三))
CREATE TABLE dividends (
    year      INTEGER NOT NULL,
    entity    INTEGER NOT NULL,
    household INTEGER NOT NULL,
    due       INTEGER NOT NULL,
    paid      INTEGER NOT NULL,
    PRIMARY KEY (year, entity, household)
);

-- years[].coverage (一; 二(三))
CREATE TABLE coverage (
    year    INTEGER NOT NULL,
    village TEXT NOT NULL,
    willing INTEGER NOT NULL,
    covered INTEGER NOT NULL,
    PRIMARY KEY (year, village)
);

-- years[].evaluations (四(五))
CREATE TABLE evaluations (
    year      INTEGER NOT NULL,
    agreement INTEGER NOT NULL,
    entity    INTEGER NOT NULL,
    date      TEXT NOT NULL,
    recheck   INTEGER NOT NULL,
    outcome   TEXT NOT NULL,
    PRIMARY KEY (year, agreement, date, recheck)
);

-- years[].evaluations[].failed: the failed checks of each evaluation, in order.
CREATE TABLE evaluation_failed (
    year         INTEGER NOT NULL,
    agreement    INTEGER NOT NULL,
    date         TEXT NOT NULL,
    recheck      INTEGER NOT NULL,
    ordinal      INTEGER NOT NULL,
    rule         TEXT NOT NULL,
    subject_kind TEXT,
    subject_id   INTEGER,
    subject_code TEXT,
    expected     TEXT,
    actual       TEXT,
    PRIMARY KEY (year, agreement, date, recheck, ordinal)
);

-- households[]: every household with its exit year (NULL: not exited).
CREATE TABLE households (
    id        INTEGER PRIMARY KEY NOT NULL,
    exit_year INTEGER
);

-- entities[]: status 'active' or 'disqualified'.
CREATE TABLE entities (
    id              INTEGER PRIMARY KEY NOT NULL,
    status          TEXT NOT NULL,
    disqualified_on TEXT
);

-- entities[].favoured: the years an entity is favoured for (予以倾斜).
CREATE TABLE entity_favoured (
    entity INTEGER NOT NULL,
    year   INTEGER NOT NULL,
    PRIMARY KEY (entity, year)
);

-- disclosure[] (五(五)): equity in fen, households the entity drives.
CREATE TABLE disclosure (
    entity     INTEGER PRIMARY KEY NOT NULL,
    equity     INTEGER NOT NULL,
    households INTEGER NOT NULL
);

-- disclosure[].support: the support measures' texts, in order.
CREATE TABLE disclosure_support (
    entity  INTEGER NOT NULL,
    ordinal INTEGER NOT NULL,
    measure TEXT NOT NULL,
    PRIMARY KEY (entity, ordinal)
);

-- findings[], in the report's order (ordinal): year NULL for a finding of the records
-- alone; expected and actual NULL when the finding carries no value.
CREATE TABLE findings (
    ordinal      INTEGER PRIMARY KEY NOT NULL,
    rule         TEXT NOT NULL,
    severity     TEXT NOT NULL,
    clause       TEXT NOT NULL,
    year         INTEGER,
    subject_kind TEXT,
    subject_id   INTEGER,
    subject_code TEXT,
    message      TEXT NOT NULL,
    expected     TEXT,
    actual       TEXT
);
