"""The ledger's schema, as `sqlite_utils.Migrations` applied in order whenever it opens.

`NAMES` lists them without importing sqlite-utils, so opening an up-to-date ledger stays
cheap; `tests/test_ledger_open.py` checks it matches the registered migrations.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("gridctl")


def _run(db: Database, *statements: str) -> None:
    for sql in statements:
        db.execute(sql)


@migrations()
def m001_reference(db: Database) -> None:
    """Grids, people, posts, departments, teams and the duty matrix (定人、定岗、定责)."""
    _run(
        db,
        "CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT)",
        """CREATE TABLE grids (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL,
            parent TEXT REFERENCES grids(code) DEFERRABLE INITIALLY DEFERRED,
            kind TEXT, path TEXT NOT NULL, households INTEGER, residents INTEGER,
            extent TEXT, duty_phone TEXT, retired TEXT)""",
        "CREATE INDEX grids_parent ON grids(parent)",
        "CREATE INDEX grids_path ON grids(path)",
        "CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT, unit TEXT, retired TEXT)",
        "CREATE INDEX people_name ON people(name)",
        """CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            grid TEXT NOT NULL REFERENCES grids(code) DEFERRABLE INITIALLY DEFERRED,
            role TEXT NOT NULL,
            person TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
            since TEXT NOT NULL, until TEXT,
            UNIQUE (grid, role, person, since))""",
        "CREATE INDEX posts_person ON posts(person)",
        """CREATE TABLE departments (
            code TEXT PRIMARY KEY, name TEXT NOT NULL,
            grid TEXT NOT NULL REFERENCES grids(code) DEFERRABLE INITIALLY DEFERRED,
            kind TEXT NOT NULL, retired TEXT)""",
        """CREATE TABLE teams (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, unit TEXT NOT NULL,
            leader TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
            since TEXT NOT NULL, until TEXT, retired TEXT)""",
        """CREATE TABLE team_members (
            team TEXT NOT NULL REFERENCES teams(code) DEFERRABLE INITIALLY DEFERRED,
            person TEXT NOT NULL REFERENCES people(id) DEFERRABLE INITIALLY DEFERRED,
            since TEXT NOT NULL, until TEXT, PRIMARY KEY (team, person, since))""",
        "CREATE INDEX team_members_person ON team_members(person)",
        """CREATE TABLE team_grids (
            team TEXT NOT NULL REFERENCES teams(code) DEFERRABLE INITIALLY DEFERRED,
            grid TEXT NOT NULL REFERENCES grids(code) DEFERRABLE INITIALLY DEFERRED,
            since TEXT NOT NULL, until TEXT, PRIMARY KEY (team, grid, since))""",
        "CREATE INDEX team_grids_grid ON team_grids(grid)",
        """CREATE TABLE categories (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, authority TEXT NOT NULL,
            lead_role TEXT NOT NULL, department TEXT, assist TEXT, deadline TEXT NOT NULL,
            origin TEXT NOT NULL, retired TEXT)""",
        """CREATE TABLE loads (
            id INTEGER PRIMARY KEY, loaded_at TEXT NOT NULL, as_of TEXT NOT NULL,
            folder TEXT NOT NULL, digest TEXT NOT NULL, summary TEXT NOT NULL)""",
    )



@migrations()
def m002_issue_ledger(db: Database) -> None:
    """The hash-chained event log, the issues projection and its full-text index (问题台账).

    An event concerns an issue (`issue`) or another record such as a patrol (`record`)."""
    _run(
        db,
        """CREATE TABLE events (
            seq INTEGER PRIMARY KEY, office TEXT NOT NULL, n INTEGER NOT NULL,
            issue TEXT, record TEXT, action TEXT NOT NULL, from_status TEXT, to_status TEXT, level TEXT,
            actor TEXT, happened_at TEXT NOT NULL, recorded_at TEXT NOT NULL, note TEXT,
            details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
            UNIQUE (office, n))""",
        "CREATE INDEX events_issue ON events(issue)",
        "CREATE INDEX events_record ON events(record) WHERE record IS NOT NULL",
        """CREATE TABLE issues (
            num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, office TEXT NOT NULL, year INTEGER NOT NULL, seq INTEGER NOT NULL,
            grid TEXT NOT NULL, category TEXT NOT NULL, source TEXT NOT NULL, title TEXT NOT NULL,
            place TEXT, reporter TEXT, phone TEXT, ref TEXT, content_key TEXT,
            status TEXT NOT NULL, level TEXT NOT NULL, holder TEXT, authority TEXT,
            lead_person TEXT, lead_role TEXT, lead_grid TEXT, department TEXT, team TEXT,
            assignee TEXT, assignee_kind TEXT,
            deadline_rule TEXT, deadline_unit TEXT, deadline TEXT, accept_due TEXT, due TEXT,
            found_at TEXT NOT NULL, reported_at TEXT NOT NULL, accepted_at TEXT,
            dispatched_at TEXT, handled_at TEXT, closed_at TEXT, rejected_at TEXT,
            late_report INTEGER NOT NULL DEFAULT 0, escalations INTEGER NOT NULL DEFAULT 0,
            reworks INTEGER NOT NULL DEFAULT 0, reopens INTEGER NOT NULL DEFAULT 0,
            extensions INTEGER NOT NULL DEFAULT 0, extended_days INTEGER NOT NULL DEFAULT 0,
            callback TEXT, callback_at TEXT, on_the_spot INTEGER NOT NULL DEFAULT 0,
            events INTEGER NOT NULL DEFAULT 0, last_event TEXT, last_action TEXT, last_note TEXT,
            updated_at TEXT,
            UNIQUE (office, year, seq))""",
        "CREATE INDEX issues_grid ON issues(grid)",
        """CREATE INDEX issues_open_due ON issues(due)
            WHERE status IN ('reported', 'accepted', 'dispatched', 'handled')""",
        "CREATE INDEX issues_status ON issues(status)",
        "CREATE INDEX issues_reported ON issues(reported_at)",
        "CREATE INDEX issues_ref ON issues(ref) WHERE ref IS NOT NULL",
        "CREATE INDEX issues_content_key ON issues(content_key) WHERE content_key IS NOT NULL",
        # rowid = issues.num
        """CREATE VIRTUAL TABLE issue_text USING fts5(
            issue UNINDEXED, title, place, notes, tokenize = 'trigram')""",
    )


_RECORD_COMMON = ("id TEXT PRIMARY KEY, office TEXT NOT NULL, year INTEGER NOT NULL, "
                  "seq INTEGER NOT NULL, date TEXT NOT NULL")
_RECORD_END = ("voided INTEGER NOT NULL DEFAULT 0, void_reason TEXT, voided_at TEXT, "
               "recorded_by TEXT, event TEXT NOT NULL, UNIQUE (office, year, seq)")


@migrations()
def m003_conduct(db: Database) -> None:
    """Patrols (巡查) and conduct records: meetings, attendance, study, publicity, surveys."""
    _run(
        db,
        f"""CREATE TABLE patrols ({_RECORD_COMMON}, person TEXT NOT NULL, grid TEXT NOT NULL,
            households INTEGER, notes TEXT, visiting INTEGER NOT NULL DEFAULT 0, team TEXT,
            role TEXT, found TEXT NOT NULL DEFAULT '[]', content_key TEXT, {_RECORD_END})""",
        "CREATE INDEX patrols_date ON patrols(date)",
        "CREATE INDEX patrols_person ON patrols(person, date)",
        "CREATE INDEX patrols_grid ON patrols(grid)",
        "CREATE INDEX patrols_content_key ON patrols(content_key)",
        """CREATE TABLE patrol_issues (patrol TEXT NOT NULL, issue TEXT NOT NULL UNIQUE,
            PRIMARY KEY (patrol, issue))""",
        f"""CREATE TABLE meetings ({_RECORD_COMMON}, unit TEXT NOT NULL, unit_kind TEXT NOT NULL,
            kind TEXT NOT NULL, attendees TEXT NOT NULL DEFAULT '[]', notes TEXT, {_RECORD_END})""",
        "CREATE INDEX meetings_unit ON meetings(unit, date)",
        f"""CREATE TABLE attendance ({_RECORD_COMMON}, person TEXT NOT NULL, kind TEXT NOT NULL,
            days INTEGER NOT NULL DEFAULT 1, reason TEXT, {_RECORD_END})""",
        "CREATE INDEX attendance_person ON attendance(person, date)",
        f"""CREATE TABLE study ({_RECORD_COMMON}, person TEXT NOT NULL, kind TEXT NOT NULL,
            attended INTEGER NOT NULL DEFAULT 1, notes TEXT, {_RECORD_END})""",
        "CREATE INDEX study_person ON study(person, date)",
        f"""CREATE TABLE publicity ({_RECORD_COMMON}, person TEXT NOT NULL, kind TEXT NOT NULL,
            title TEXT NOT NULL, outlet TEXT, {_RECORD_END})""",
        "CREATE INDEX publicity_person ON publicity(person, date)",
        f"""CREATE TABLE surveys ({_RECORD_COMMON}, team TEXT NOT NULL, person TEXT NOT NULL,
            participants INTEGER NOT NULL, satisfied INTEGER NOT NULL, fair INTEGER NOT NULL,
            unsatisfied INTEGER NOT NULL, {_RECORD_END})""",
        "CREATE INDEX surveys_team ON surveys(team, date)",
    )


@migrations()
def m004_assessment(db: Database) -> None:
    """考核: approvals of a period's results and 虚报/谎报 flags, each also an event."""
    _run(
        db,
        """CREATE TABLE score_marks (
            id INTEGER PRIMARY KEY, period TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT,
            reason TEXT, actor TEXT, at TEXT NOT NULL, event TEXT NOT NULL)""",
        "CREATE INDEX score_marks_period ON score_marks(period)",
    )


@migrations()
def m005_report_indexes(db: Database) -> None:
    """Indexes the reports need at city scale: events by action and time, issues by last change."""
    _run(
        db,
        "CREATE INDEX events_action_time ON events(action, happened_at)",
        "CREATE INDEX issues_updated ON issues(updated_at)",
    )


@migrations()
def m006_exchange(db: Database) -> None:
    """四级平台: the bundles handed up and merged, per office."""
    _run(
        db,
        """CREATE TABLE merges (
            id INTEGER PRIMARY KEY, office TEXT NOT NULL, received_at TEXT NOT NULL, sender TEXT NOT NULL,
            first_n INTEGER NOT NULL, last_n INTEGER NOT NULL, added INTEGER NOT NULL,
            last_hash TEXT NOT NULL, source TEXT)""",
        "CREATE INDEX merges_office ON merges(office, id)",
    )


@migrations()
def m007_events_record_repair(db: Database) -> None:
    """Repair a ledger made before m002 gained `events.record` (gridctl at df9fca2 and earlier):
    add the column and its index, and note per office the last event hashed without the field
    (`legacy_hash:OFFICE`), so verify and merge check those events by the old formula.
    A ledger that already has the column is left as it is."""
    if "record" in {column.name for column in db["events"].columns}:
        return
    _run(
        db,
        "ALTER TABLE events ADD COLUMN record TEXT",
        "CREATE INDEX events_record ON events(record) WHERE record IS NOT NULL",
        """INSERT INTO ledger_meta (key, value)
            SELECT 'legacy_hash:' || office, CAST(max(n) AS TEXT) FROM events GROUP BY office""",
    )


_REGISTER_END = ("tags TEXT NOT NULL DEFAULT '[]', note TEXT, added_at TEXT NOT NULL, updated_at TEXT, "
                 "retired TEXT, retire_reason TEXT, UNIQUE (office, seq)")


@migrations()
def m008_register(db: Database) -> None:
    """基础信息 (人、地、物、组织) and 入户走访: households, residents, places, organisations, visits.

    Each row is the projection of its `household.*` / `resident.*` / `place.*` / `org.*`
    events. A 身份证号 is kept only as a keyed hash and its last four characters."""
    _run(
        db,
        f"""CREATE TABLE households (id TEXT PRIMARY KEY, office TEXT NOT NULL, seq INTEGER NOT NULL,
            grid TEXT NOT NULL, address TEXT NOT NULL, head TEXT, size INTEGER, phone TEXT,
            {_REGISTER_END})""",
        "CREATE UNIQUE INDEX households_address ON households(grid, address) WHERE retired IS NULL",
        "CREATE INDEX households_tagged ON households(grid) WHERE tags != '[]'",
        f"""CREATE TABLE residents (id TEXT PRIMARY KEY, office TEXT NOT NULL, seq INTEGER NOT NULL,
            household TEXT NOT NULL, grid TEXT NOT NULL, name TEXT NOT NULL, gender TEXT,
            birth_year INTEGER, id_hash TEXT, id_last4 TEXT, residence TEXT, phone TEXT,
            {_REGISTER_END})""",
        "CREATE INDEX residents_household ON residents(household)",
        "CREATE INDEX residents_grid ON residents(grid)",
        "CREATE INDEX residents_tagged ON residents(grid) WHERE tags != '[]'",
        "CREATE UNIQUE INDEX residents_id_hash ON residents(id_hash) WHERE id_hash IS NOT NULL AND retired IS NULL",
        f"""CREATE TABLE places (id TEXT PRIMARY KEY, office TEXT NOT NULL, seq INTEGER NOT NULL,
            grid TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, address TEXT, contact TEXT,
            phone TEXT, {_REGISTER_END})""",
        "CREATE INDEX places_grid ON places(grid)",
        f"""CREATE TABLE orgs (id TEXT PRIMARY KEY, office TEXT NOT NULL, seq INTEGER NOT NULL,
            grid TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, address TEXT, contact TEXT,
            phone TEXT, {_REGISTER_END})""",
        "CREATE INDEX orgs_grid ON orgs(grid)",
        "ALTER TABLE patrols ADD COLUMN visited TEXT",
        """CREATE TABLE visits (household TEXT NOT NULL, patrol TEXT NOT NULL, date TEXT NOT NULL,
            PRIMARY KEY (household, patrol))""",
        "CREATE INDEX visits_patrol ON visits(patrol)",
        "CREATE INDEX visits_date ON visits(date)",
    )


# 领导查看窗口 (`gridctl serve`): codes joined to names, phones masked (138****1234, as
# `text.mask_phone`), statuses and sources in Chinese. Written out in full: a migration is frozen.
def _masked(col: str) -> str:
    return (f"CASE WHEN {col} IS NULL OR {col} = '' THEN {col} "
            f"WHEN length({col}) <= 7 THEN replace(hex(zeroblob(length({col}) - 2)), '00', '*') || substr({col}, -2) "
            f"ELSE substr({col}, 1, 3) || replace(hex(zeroblob(length({col}) - 7)), '00', '*') || substr({col}, -4) END")


_LEVEL_ZH = ("CASE {col} WHEN 'city' THEN '市' WHEN 'district' THEN '县(市)区' WHEN 'township' THEN '乡(镇)办' "
             "WHEN 'community' THEN '村/社区' WHEN 'block' THEN '村组/楼院' ELSE {col} END")


@migrations()
def m009_window_views(db: Database) -> None:
    """Views for the leaders' read-only window (领导查看): 问题台账, 巡查记录, 定人定岗, 网格."""
    open_statuses = "('reported', 'accepted', 'dispatched', 'handled')"
    _run(
        db,
        f"""CREATE VIEW window_issues AS SELECT
            i.num AS 序号, i.id AS 事件编号, g.name AS 网格名称, g.path AS 网格路径,
            {_LEVEL_ZH.format(col='g.level')} AS 网格层级, i.grid AS 网格编码,
            coalesce(c.name, i.category) AS 问题类型, i.title AS 问题描述, i.place AS 地点,
            CASE i.source WHEN 'patrol' THEN '巡查发现' WHEN 'report' THEN '群众举报' WHEN 'visit' THEN '来访'
                WHEN 'hotline' THEN '热线电话' WHEN 'online' THEN '网络平台' WHEN 'assigned' THEN '上级交办'
                WHEN 'inspection' THEN '督查发现' ELSE i.source END AS 来源,
            coalesce(rp.name, i.reporter) AS 上报人, {_masked('i.phone')} AS 联系电话,
            CASE i.status WHEN 'reported' THEN '已上报' WHEN 'accepted' THEN '已受理' WHEN 'dispatched' THEN '处置中'
                WHEN 'handled' THEN '已处置' WHEN 'closed' THEN '已结案' WHEN 'rejected' THEN '不予受理'
                ELSE i.status END AS 状态,
            hg.name AS 受理平台,
            coalesce(CASE i.assignee_kind WHEN 'department' THEN ad.name WHEN 'team' THEN at.name
                WHEN 'person' THEN ap.name END, i.assignee, d.name, i.department, hg.name) AS 处置单位,
            i.found_at AS 发现时间, i.reported_at AS 上报时间, i.accepted_at AS 立案时间,
            i.dispatched_at AS 派遣时间, i.handled_at AS 处置时间, i.closed_at AS 办结时间,
            i.deadline AS 截止时间, i.due AS 当前时限,
            CASE WHEN i.status IN {open_statuses} AND i.due < strftime('%Y-%m-%d %H:%M', 'now', 'localtime')
                THEN '是' ELSE '否' END AS 超期,
            CASE WHEN i.status = 'closed' THEN CASE WHEN i.deadline IS NOT NULL AND i.closed_at <= i.deadline
                THEN '是' ELSE '否' END END AS 是否按期,
            i.escalations AS 上报次数, i.reworks AS 返工次数, i.extended_days AS 延期天数,
            CASE i.callback WHEN 'satisfied' THEN '满意' WHEN 'fair' THEN '基本满意'
                WHEN 'unsatisfied' THEN '不满意' ELSE i.callback END AS 群众满意度,
            i.callback_at AS 回访时间, i.last_note AS 处置情况
        FROM issues i
        LEFT JOIN grids g ON g.code = i.grid
        LEFT JOIN grids hg ON hg.code = i.holder
        LEFT JOIN categories c ON c.code = i.category
        LEFT JOIN people rp ON rp.id = i.reporter
        LEFT JOIN departments d ON d.code = i.department
        LEFT JOIN departments ad ON ad.code = i.assignee
        LEFT JOIN teams at ON at.code = i.assignee
        LEFT JOIN people ap ON ap.id = i.assignee""",
        f"""CREATE VIEW window_patrols AS SELECT
            p.id AS 编号, p.date AS 日期, coalesce(pp.name, p.person) AS 人员, p.person AS 人员编号,
            g.name AS 网格名称, g.path AS 网格路径, {_LEVEL_ZH.format(col='g.level')} AS 网格层级,
            p.grid AS 网格编码, t.name AS 工作队, p.households AS 走访户数, p.notes AS 民情日记,
            (SELECT count(*) FROM patrol_issues pi WHERE pi.patrol = p.id) AS 发现问题数
        FROM patrols p
        LEFT JOIN people pp ON pp.id = p.person
        LEFT JOIN grids g ON g.code = p.grid
        LEFT JOIN teams t ON t.code = p.team
        WHERE p.voided = 0""",
        f"""CREATE VIEW window_posts AS SELECT
            g.name AS 网格名称, g.path AS 网格路径, {_LEVEL_ZH.format(col='g.level')} AS 网格层级,
            s.grid AS 网格编码, s.role AS 职务, pp.name AS 姓名, s.person AS 人员编号, pp.unit AS 单位,
            {_masked('pp.phone')} AS 联系电话, s.since AS 任职起, s.until AS 任职止
        FROM posts s
        LEFT JOIN grids g ON g.code = s.grid
        LEFT JOIN people pp ON pp.id = s.person""",
        f"""CREATE VIEW window_grids AS SELECT
            g.code AS 网格编码, g.name AS 网格名称, {_LEVEL_ZH.format(col='g.level')} AS 网格层级,
            g.kind AS 类型, pg.name AS 上级网格, g.path AS 网格路径, g.households AS 户数,
            g.residents AS 人口, {_masked('g.duty_phone')} AS 值班电话, g.retired AS 撤销日期
        FROM grids g
        LEFT JOIN grids pg ON pg.code = g.parent""",
    )


@migrations()
def m010_score_snapshots(db: Database) -> None:
    """考核: what an approval froze — the period's results and the last event they counted."""
    _run(
        db,
        """CREATE TABLE score_snapshots (
            event TEXT PRIMARY KEY, period TEXT NOT NULL, last_event TEXT, last_seq INTEGER,
            snapshot TEXT NOT NULL)""",
        "CREATE INDEX score_snapshots_period ON score_snapshots(period)",
    )


@migrations()
def m011_tally_index(db: Database) -> None:
    """A covering index for counting issues by grid at city scale (score, the reports): the columns
    `ledger.tally` and the reports' counts read, in grid order, so a city's period is counted
    from the index alone (a quarter of 1M issues: 3.0 s → 1.2 s grouped, sorting included)."""
    _run(
        db,
        """CREATE INDEX issues_tally ON issues(grid, reported_at, updated_at, status, accepted_at, deadline, due,
            handled_at, closed_at, callback_at, callback, on_the_spot, extensions, reworks, late_report,
            authority, escalations, source, category, lead_person)""",
    )


@migrations()
def m012_patrols_made_index(db: Database) -> None:
    """A covering index for counting a person's patrols in a week by grid (score's missed patrol
    weeks, `ledger.scoring.short_patrols`): a city quarter's 510k obligations 2.6 s → 1.25 s."""
    _run(db, "CREATE INDEX patrols_made ON patrols(person, date, voided, grid)")


@migrations()
def m014_index_diet(db: Database) -> None:
    """Indexes that cost every import and merge more than they bought (measured on a city ledger:
    1M issues, 11.7M events). `issues_grid` is a prefix of `issues_tally`; `issues_status` led the
    planner away from `issues_open_due` and a status alone is a poor filter (a scan of 1M issues
    takes 0.3 s); `events_action_time` held every event for three kinds of question, now asked of
    small partial indexes: escalations by time (the reports), rejects by `duplicate_of` (issue show),
    a record kind's events (verify). `events_issue` leaves out record events (patrols, meetings, …)."""
    _run(
        db,
        "DROP INDEX IF EXISTS issues_grid",
        "DROP INDEX IF EXISTS issues_status",
        "DROP INDEX IF EXISTS events_action_time",
        "CREATE INDEX events_escalated ON events(happened_at, issue) WHERE action = 'escalate'",
        """CREATE INDEX events_duplicate_of ON events(json_extract(details, '$.duplicate_of'))
            WHERE action = 'reject'""",
        "CREATE INDEX events_record_kind ON events(action, record) WHERE record IS NOT NULL",
        "DROP INDEX IF EXISTS events_issue",
        "CREATE INDEX events_issue ON events(issue) WHERE issue IS NOT NULL",
    )


@migrations()
def m017_event_days(db: Database) -> None:
    """The last event (its `seq`) dated on each day, kept by `ledger.events.insert_events` as events
    are written: the last event dated at or before a moment (`events.last_dated`: the score's last
    event counted, a report's last event) is then read back from there, where it read the events
    backwards from the newest, all those dated later first (a city's 2026Q3 as of its end, with
    Q4's 821k events after it: 13.8 s on a cold page cache)."""
    _run(
        db,
        "CREATE TABLE event_days (day TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID",
        "INSERT INTO event_days (day, last_seq) SELECT substr(happened_at, 1, 10), max(seq) FROM events GROUP BY 1",
    )


@migrations()
def m020_one_callback_a_closing(db: Database) -> None:
    """回访: one a closing (`ledger.issues.callback_held`). A ledger written before the rule, or one
    merged from such a ledger, may hold a second callback on one closing that is no correction;
    the fold now leaves the first counted (a 不满意 is no longer hidden behind a later 满意), so the
    issues holding one are folded again for their callback and its time. One read of the events
    (no index holds their action: ~1.5 s for a district year's 1.25M events)."""
    import json

    from gridctl.ledger.issues import callback_held

    conn = db.conn
    twice = [i for (i,) in conn.execute(
        "SELECT issue FROM events WHERE action = 'callback' GROUP BY issue HAVING count(*) > 1")]
    for issue in twice:
        closed = called = result = None
        for action, at, details in conn.execute(
                "SELECT action, happened_at, details FROM events WHERE issue = ? ORDER BY seq", (issue,)):
            if action == "close":
                closed = at
            elif action == "reopen":
                closed = None
            elif action == "callback":
                said = json.loads(details)
                if said.get("corrects") or not callback_held(called, closed):
                    called, result = at, said.get("result")
        conn.execute("UPDATE issues SET callback = ?, callback_at = ? WHERE id = ?", (result, called, issue))


@migrations()
def m024_household_address_key(db: Database) -> None:
    """A household's 门牌 as compared (`text.same_key`: NFKC, trimmed), so `１２号楼` and `12号楼`
    are one household to every look-up (`register add`, import, `--household`, `--visited`)
    while the 门牌 stays as the clerk wrote it. Kept by `ledger.register.apply_event`; filled here
    for the households already held. Not unique: a ledger may already hold both spellings."""
    from gridctl.text import same_key

    conn = db.conn
    conn.execute("ALTER TABLE households ADD COLUMN address_key TEXT")
    conn.executemany("UPDATE households SET address_key = ? WHERE id = ?",
                     [(same_key(address), i) for i, address in conn.execute("SELECT id, address FROM households")])
    conn.execute("CREATE INDEX households_address_key ON households(address_key, grid) WHERE retired IS NULL")


@migrations()
def m025_open_due_two_statuses(db: Database) -> None:
    """`issues_open_due` made again over `status NOT IN ('closed', 'rejected')`, the same issues
    (every status is one of `ledger.issues.STATUSES`: the life cycle's fold writes no other) as
    m002's `status IN ('reported', 'accepted', 'dispatched', 'handled')`. SQLite evaluates a partial
    index's condition for every row written, and an IN list of more than two values there is a
    temporary table built anew each time (the statement's own `IN` is built once): 25,000 issue rows
    inserted with it cost 779 M instructions, 545 M with the two statuses, 529 M with no condition.
    The queries that read the index say the same two statuses (`ledger.issues.OPEN_SQL`)."""
    _run(
        db,
        "DROP INDEX IF EXISTS issues_open_due",
        "CREATE INDEX issues_open_due ON issues(due) WHERE status NOT IN ('closed', 'rejected')",
    )


@migrations()
def m026_issue_text_without_sizes(db: Database) -> None:
    """The search index `issue_text` made again with `columnsize=0`: FTS5 then keeps no table of
    each row's token counts (`issue_text_docsize`), which only its ranking (bm25) reads and nothing
    here asks for; every issue written costs one B-tree row less. The same rows under the same
    rowids, the same trigram index: MATCH and the short queries' LIKE find what they found, in the
    same order. (Ledger writes of 25,000 imported issues, callgrind: 2,905 M → 2,798 M instructions.)
    The rows wait in a temporary table (not in the ledger's file) while the old index is dropped,
    so the new one takes its pages: a new ledger is no larger than before."""
    _run(
        db,
        "CREATE TEMP TABLE issue_text_rows AS SELECT rowid AS num, issue, title, place, notes FROM issue_text",
        "DROP TABLE issue_text",
        """CREATE VIRTUAL TABLE issue_text USING fts5(
            issue UNINDEXED, title, place, notes, tokenize = 'trigram', columnsize = 0)""",
        """INSERT INTO issue_text (rowid, issue, title, place, notes)
            SELECT num, issue, title, place, notes FROM temp.issue_text_rows ORDER BY num""",
        "DROP TABLE temp.issue_text_rows",
    )


@migrations()
def m027_household_address_key_folded(db: Database) -> None:
    """Each household's `address_key` made again by `text.same_key` as it now reads a 门牌: letter
    case folded and the blanks inside dropped as well (`A座 1 号楼` is `a座1号楼`), where m024 and
    the writer before it kept `A座 1 号楼` (NFKC and trimmed only). Only the keys that differ are
    written (one read of the households; a township's 20,000: ~0.1 s)."""
    from gridctl.text import same_key

    conn = db.conn
    stale = [(key, i) for i, address, held in conn.execute("SELECT id, address, address_key FROM households")
             if (key := same_key(address)) != held]
    conn.executemany("UPDATE households SET address_key = ? WHERE id = ?", stale)
