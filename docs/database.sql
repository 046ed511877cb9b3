-- The input database of `vipa run FILE.db` (docs/database.md): a scenario of
-- docs/scenario.md as SQLite tables, one per record kind, lists in child tables.
-- `vipa schema` prints this text; `vipa schema | sqlite3 province.db` makes an empty one.
--
-- Types, the same in every table:
--   money      INTEGER fen, 1 yuan = 100 fen: 3600.00 yuan is 360000. Never REAL, never
--              yuan. (SQLite turns the TEXT '3600.00' put in an INTEGER column into the
--              integer 3600, that is 36.00 yuan: write fen.)
--   area code  TEXT of the 12 digits of the statistical division code, '611002001204'
--   id         INTEGER > 0
--   year       INTEGER 1900..9999
--   date       TEXT 'YYYY-MM-DD'
--   boolean    INTEGER 0 or 1
--   word       TEXT, the scenario's words ('wage', 'illness', ...)
-- A NULL in a column that allows it means what leaving the key out of the JSON means.
-- Every table must be there (an empty table: no records of its kind); a table may also
-- be a view of the same columns, and may have more columns, which are not read.
-- Records are read in the order of their key (ORDER BY), so the order rows were
-- inserted in does not matter; transfers go by seq, the order they happened in.

-- The file's format (1) and the top-level fields of the scenario. Exactly one row.
CREATE TABLE scenario (
    vipa    INTEGER NOT NULL CHECK (vipa = 1),
    as_of   TEXT CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    profile TEXT  -- the built-in profile it is written for: 'shangluo-2016', or NULL
);

-- profile.params: 'equity.poor_share_bp' (INTEGER 0..10000), 'equity.allocation'
-- ('per_household' or 'per_member'), 'equity.remainder_holder' ('village_collective'
-- or 'entity'), 'exit.require_guarantees' (INTEGER 0 or 1).
CREATE TABLE parameters (
    key   TEXT PRIMARY KEY NOT NULL CHECK (key IN ('equity.poor_share_bp',
              'equity.allocation', 'equity.remainder_holder', 'exit.require_guarantees')),
    value NOT NULL
);

-- profile.params.poverty_line: the line per person per year, in fen.
CREATE TABLE poverty_lines (
    year INTEGER PRIMARY KEY NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    line INTEGER NOT NULL CHECK (typeof(line) = 'integer' AND line >= 0)
);

CREATE TABLE areas (
    code     TEXT PRIMARY KEY NOT NULL CHECK (length(code) = 12 AND code NOT GLOB '*[^0-9]*'),
    name     TEXT NOT NULL CHECK (name <> ''),
    level    TEXT NOT NULL CHECK (level IN ('county', 'town', 'village')),
    industry TEXT  -- towns only: the designated core industry
);

-- selection: one column per criterion of 三(二), 1 when met.
CREATE TABLE entities (
    id                   INTEGER PRIMARY KEY NOT NULL CHECK (id > 0),
    name                 TEXT NOT NULL CHECK (name <> ''),
    kind                 TEXT NOT NULL CHECK (kind IN ('enterprise', 'park', 'cooperative',
                             'family_farm', 'large_grower')),
    uscc                 TEXT,
    core_village         TEXT NOT NULL REFERENCES areas (code),
    industry             TEXT NOT NULL CHECK (industry <> ''),
    well_managed         INTEGER NOT NULL DEFAULT 0 CHECK (well_managed IN (0, 1)),
    profitable           INTEGER NOT NULL DEFAULT 0 CHECK (profitable IN (0, 1)),
    financially_strong   INTEGER NOT NULL DEFAULT 0 CHECK (financially_strong IN (0, 1)),
    socially_responsible INTEGER NOT NULL DEFAULT 0 CHECK (socially_responsible IN (0, 1)),
    trustworthy          INTEGER NOT NULL DEFAULT 0 CHECK (trustworthy IN (0, 1)),
    wide_coverage        INTEGER NOT NULL DEFAULT 0 CHECK (wide_coverage IN (0, 1)),
    sustainable          INTEGER NOT NULL DEFAULT 0 CHECK (sustainable IN (0, 1)),
    willing              INTEGER NOT NULL DEFAULT 0 CHECK (willing IN (0, 1))
);

CREATE TABLE households (
    id      INTEGER PRIMARY KEY NOT NULL CHECK (id > 0),
    village TEXT NOT NULL REFERENCES areas (code),
    members INTEGER NOT NULL CHECK (members BETWEEN 1 AND 99),
    labour  INTEGER NOT NULL CHECK (labour BETWEEN 0 AND members),
    cause   TEXT NOT NULL CHECK (cause IN ('illness', 'disability', 'schooling', 'disaster',
                'lack_of_land', 'lack_of_water', 'lack_of_skills', 'lack_of_labour',
                'lack_of_capital', 'poor_transport', 'lack_of_drive')),
    willing INTEGER NOT NULL CHECK (willing IN (0, 1)),
    exited  INTEGER CHECK (exited BETWEEN 1900 AND 9999)
);

-- households[].assured: the guarantees a household held in a year, one row per
-- household and year (a row of zeros: a year listed with none).
CREATE TABLE household_guarantees (
    household     INTEGER NOT NULL REFERENCES households (id),
    year          INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    food_clothing INTEGER NOT NULL DEFAULT 0 CHECK (food_clothing IN (0, 1)),
    education     INTEGER NOT NULL DEFAULT 0 CHECK (education IN (0, 1)),
    medical       INTEGER NOT NULL DEFAULT 0 CHECK (medical IN (0, 1)),
    housing       INTEGER NOT NULL DEFAULT 0 CHECK (housing IN (0, 1)),
    water         INTEGER NOT NULL DEFAULT 0 CHECK (water IN (0, 1)),
    PRIMARY KEY (household, year)
);

-- signer_level and signer_area: the signer object ({"level", "area"}); support_count
-- only for an agreement whose measures' texts are not known (never with
-- agreement_support rows).
CREATE TABLE agreements (
    id              INTEGER PRIMARY KEY NOT NULL CHECK (id > 0),
    entity          INTEGER NOT NULL REFERENCES entities (id),
    household_count INTEGER CHECK (household_count >= 0),
    support_count   INTEGER CHECK (support_count >= 0),
    start           TEXT CHECK (start GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    "end"           TEXT CHECK ("end" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    exit_deadline   INTEGER CHECK (exit_deadline BETWEEN 1900 AND 9999),
    signed          TEXT CHECK (signed GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    signer_level    TEXT CHECK (signer_level IN ('village', 'town', 'county', 'not_provided')),
    signer_area     TEXT REFERENCES areas (code),
    dividend_bp     INTEGER CHECK (dividend_bp >= 0)
);

-- agreements[].households, in order.
CREATE TABLE agreement_households (
    agreement INTEGER NOT NULL REFERENCES agreements (id),
    ordinal   INTEGER NOT NULL,
    household INTEGER NOT NULL REFERENCES households (id),
    PRIMARY KEY (agreement, ordinal),
    UNIQUE (agreement, household)
);

-- agreements[].projects, in order (only their number is kept).
CREATE TABLE agreement_projects (
    agreement INTEGER NOT NULL REFERENCES agreements (id),
    ordinal   INTEGER NOT NULL,
    project   TEXT NOT NULL,
    PRIMARY KEY (agreement, ordinal)
);

-- agreements[].support, in order: the texts the disclosure list names.
CREATE TABLE agreement_support (
    agreement INTEGER NOT NULL REFERENCES agreements (id),
    ordinal   INTEGER NOT NULL,
    measure   TEXT NOT NULL CHECK (measure <> ''),
    PRIMARY KEY (agreement, ordinal)
);

-- filed_*: the levels the plan is filed at (plans[].filed).
CREATE TABLE plans (
    household     INTEGER NOT NULL REFERENCES households (id),
    agreement     INTEGER NOT NULL REFERENCES agreements (id),
    exit_target   INTEGER CHECK (exit_target BETWEEN 1900 AND 9999),
    filed_county  INTEGER NOT NULL DEFAULT 0 CHECK (filed_county IN (0, 1)),
    filed_town    INTEGER NOT NULL DEFAULT 0 CHECK (filed_town IN (0, 1)),
    filed_village INTEGER NOT NULL DEFAULT 0 CHECK (filed_village IN (0, 1)),
    PRIMARY KEY (household, agreement)
);

-- plans[].industries and plans[].measures, in order (only their number is kept).
CREATE TABLE plan_industries (
    household INTEGER NOT NULL,
    agreement INTEGER NOT NULL,
    ordinal   INTEGER NOT NULL,
    industry  TEXT NOT NULL,
    PRIMARY KEY (household, agreement, ordinal),
    FOREIGN KEY (household, agreement) REFERENCES plans (household, agreement)
);

CREATE TABLE plan_measures (
    household INTEGER NOT NULL,
    agreement INTEGER NOT NULL,
    ordinal   INTEGER NOT NULL,
    measure   TEXT NOT NULL,
    PRIMARY KEY (household, agreement, ordinal),
    FOREIGN KEY (household, agreement) REFERENCES plans (household, agreement)
);

-- plans[].tasks, in order: income is the year's income target in fen, or NULL.
CREATE TABLE plan_tasks (
    household INTEGER NOT NULL,
    agreement INTEGER NOT NULL,
    ordinal   INTEGER NOT NULL,
    year      INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    income    INTEGER CHECK (income IS NULL OR (typeof(income) = 'integer' AND income >= 0)),
    task      TEXT,
    PRIMARY KEY (household, agreement, ordinal),
    UNIQUE (household, agreement, year),
    FOREIGN KEY (household, agreement) REFERENCES plans (household, agreement)
);

-- plans[].persons, in order (only their number is kept).
CREATE TABLE plan_persons (
    household INTEGER NOT NULL,
    agreement INTEGER NOT NULL,
    ordinal   INTEGER NOT NULL,
    member    INTEGER NOT NULL CHECK (member BETWEEN 1 AND 99),
    task      TEXT NOT NULL,
    PRIMARY KEY (household, agreement, ordinal),
    FOREIGN KEY (household, agreement) REFERENCES plans (household, agreement)
);

-- from_year, to_year: the JSON's "from" and "to". The amount, by kind: annual (wage,
-- participation), or days and daily_wage (wage), or area_cmu and rent_per_mu (land
-- rent); area_cmu is the area in 0.01 mu: 2.50 mu is 250.
CREATE TABLE linkages (
    id          INTEGER PRIMARY KEY NOT NULL CHECK (id > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('wage', 'land_rent', 'participation')),
    household   INTEGER NOT NULL REFERENCES households (id),
    entity      INTEGER NOT NULL REFERENCES entities (id),
    agreement   INTEGER NOT NULL REFERENCES agreements (id),
    from_year   INTEGER NOT NULL CHECK (from_year BETWEEN 1900 AND 9999),
    to_year     INTEGER NOT NULL CHECK (to_year BETWEEN 1900 AND 9999),
    annual      INTEGER CHECK (annual IS NULL OR (typeof(annual) = 'integer' AND annual >= 0)),
    days        INTEGER CHECK (days >= 1),
    daily_wage  INTEGER CHECK (daily_wage IS NULL OR (typeof(daily_wage) = 'integer' AND daily_wage >= 0)),
    area_cmu    INTEGER CHECK (area_cmu >= 1),
    rent_per_mu INTEGER CHECK (rent_per_mu IS NULL OR (typeof(rent_per_mu) = 'integer' AND rent_per_mu >= 0))
);

CREATE TABLE injections (
    id         INTEGER PRIMARY KEY NOT NULL CHECK (id > 0),
    entity     INTEGER NOT NULL REFERENCES entities (id),
    agreement  INTEGER NOT NULL REFERENCES agreements (id),
    date       TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    amount     INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),
    allocation TEXT CHECK (allocation IN ('per_household', 'per_member', 'weights'))
);

-- injections[].households, in order, each with its weight (injections[].weights) when
-- the allocation is 'weights', NULL otherwise.
CREATE TABLE injection_households (
    injection INTEGER NOT NULL REFERENCES injections (id),
    ordinal   INTEGER NOT NULL,
    household INTEGER NOT NULL REFERENCES households (id),
    weight    INTEGER CHECK (weight >= 0),
    PRIMARY KEY (injection, ordinal),
    UNIQUE (injection, household)
);

CREATE TABLE contributions (
    household INTEGER NOT NULL REFERENCES households (id),
    entity    INTEGER NOT NULL REFERENCES entities (id),
    agreement INTEGER REFERENCES agreements (id),
    kind      TEXT NOT NULL CHECK (kind IN ('land', 'technology', 'resources', 'housing',
                  'labour', 'cash')),
    value     INTEGER NOT NULL CHECK (typeof(value) = 'integer' AND value > 0),
    date      TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);

-- The holders "from" and "to": exactly one of the three columns of each.
CREATE TABLE transfers (
    seq             INTEGER PRIMARY KEY NOT NULL,
    entity          INTEGER NOT NULL REFERENCES entities (id),
    from_household  INTEGER REFERENCES households (id),
    from_collective TEXT REFERENCES areas (code),
    from_entity     INTEGER REFERENCES entities (id),
    to_household    INTEGER REFERENCES households (id),
    to_collective   TEXT REFERENCES areas (code),
    to_entity       INTEGER REFERENCES entities (id),
    amount          INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount > 0),
    date            TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    CHECK ((from_household IS NOT NULL) + (from_collective IS NOT NULL)
           + (from_entity IS NOT NULL) = 1),
    CHECK ((to_household IS NOT NULL) + (to_collective IS NOT NULL)
           + (to_entity IS NOT NULL) = 1)
);

-- Exactly one of rate_bp and pool (fen).
CREATE TABLE dividends (
    entity  INTEGER NOT NULL REFERENCES entities (id),
    year    INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    rate_bp INTEGER CHECK (rate_bp >= 0),
    pool    INTEGER CHECK (pool IS NULL OR (typeof(pool) = 'integer' AND pool >= 0)),
    PRIMARY KEY (entity, year),
    CHECK ((rate_bp IS NULL) <> (pool IS NULL))
);

-- Under a linkage, or a dividend payment (dividend_entity and dividend_household: the
-- JSON's "dividend" object); exactly one of the two.
CREATE TABLE payments (
    linkage            INTEGER REFERENCES linkages (id),
    dividend_entity    INTEGER REFERENCES entities (id),
    dividend_household INTEGER REFERENCES households (id),
    year               INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    amount             INTEGER NOT NULL CHECK (typeof(amount) = 'integer' AND amount >= 0),
    date               TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    CHECK ((linkage IS NULL) <> (dividend_entity IS NULL AND dividend_household IS NULL))
);

-- other: other net income in fen, negative for a loss.
CREATE TABLE incomes (
    household INTEGER NOT NULL REFERENCES households (id),
    year      INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    other     INTEGER NOT NULL CHECK (typeof(other) = 'integer'),
    PRIMARY KEY (household, year)
);

-- A year's plain evaluation (recheck 0) and its re-check (recheck 1).
CREATE TABLE evaluations (
    year    INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    date    TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    recheck INTEGER NOT NULL DEFAULT 0 CHECK (recheck IN (0, 1)),
    PRIMARY KEY (year, recheck)
);
