BEGIN TRANSACTION;
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    current_revision INTEGER NOT NULL DEFAULT 1,
    archived INTEGER NOT NULL DEFAULT 0,
    review_flag TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO "assessments" VALUES(1,'6ba924a9-c958-47f3-bb80-6dda78b2f6e3','门禁 fixture','face_voice_pia','0.1','draft',2,0,NULL,'2026-11-22T03:50:10.730372Z','2026-11-22T03:50:10.732487Z');
INSERT INTO "assessments" VALUES(2,'458202de-0602-44af-b4bb-81d9aceaf206','archived fixture','face_voice_pia','0.1','draft',1,1,NULL,'2026-11-22T03:50:10.732727Z','2026-11-22T03:50:10.732727Z');
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    assessment_uid TEXT NOT NULL,
    revision INTEGER,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO "audit_log" VALUES(1,'6ba924a9-c958-47f3-bb80-6dda78b2f6e3',1,'2026-11-22T03:50:10.730757Z','夹具 fixture','created','{"form":"face_voice_pia","title":"门禁 fixture","version":"0.1"}','0000000000000000000000000000000000000000000000000000000000000000','389a221531b76628f387bb8e4c7928e9f5a8b959300272cb1d3012053ac2f9b4');
INSERT INTO "audit_log" VALUES(2,'6ba924a9-c958-47f3-bb80-6dda78b2f6e3',1,'2026-11-22T03:50:10.731385Z','夹具 fixture','answered','{"changes":{"a_project_name":[null,"门禁 fixture"],"a_scope":[null,"A 座"],"m_report_date":[null,"2026-01-05"]}}','389a221531b76628f387bb8e4c7928e9f5a8b959300272cb1d3012053ac2f9b4','5f83b3bfbfffa0bab97daa05f06dadad5bcf49dd685224b5366d09f87e870e9a');
INSERT INTO "audit_log" VALUES(3,'6ba924a9-c958-47f3-bb80-6dda78b2f6e3',1,'2026-11-22T03:50:10.731839Z','夹具 fixture','status','{"from":"draft","to":"in_review"}','5f83b3bfbfffa0bab97daa05f06dadad5bcf49dd685224b5366d09f87e870e9a','ffd427e40f87f48edf758f900e0034d199985069189aceb2f11a80ac9060dc65');
INSERT INTO "audit_log" VALUES(4,'6ba924a9-c958-47f3-bb80-6dda78b2f6e3',1,'2026-11-22T03:50:10.732203Z','夹具 fixture','approved','{"approved_at":"2026-01-05T08:00:00.000000Z","approved_by":"李明","approved_role":"DPO","content_hash":"3eb062adcb2c6e6ee024d20f6e9e2cf99502e688b86c5f2457e2de94a1c0d209","from":"in_review","to":"approved"}','ffd427e40f87f48edf758f900e0034d199985069189aceb2f11a80ac9060dc65','949c07d7a033fc07572dfb58e1f3754c737491afc43ef8867c67ac583f8fb8f4');
INSERT INTO "audit_log" VALUES(5,'6ba924a9-c958-47f3-bb80-6dda78b2f6e3',2,'2026-11-22T03:50:10.732615Z','夹具 fixture','review_started','{"based_on":1,"note":"年度复评","reason":"periodic"}','949c07d7a033fc07572dfb58e1f3754c737491afc43ef8867c67ac583f8fb8f4','cd92d5c8909d41fbfb8f0a39eb10b21c6efe133c81f3c28e8ed728de731491e6');
INSERT INTO "audit_log" VALUES(6,'458202de-0602-44af-b4bb-81d9aceaf206',1,'2026-11-22T03:50:10.732828Z','夹具 fixture','created','{"form":"face_voice_pia","title":"archived fixture","version":"0.1"}','cd92d5c8909d41fbfb8f0a39eb10b21c6efe133c81f3c28e8ed728de731491e6','4242d7ac9a6820da38ab2ee8be6be48bcbd04d0c1e6f69af49178fc28c46c8f6');
INSERT INTO "audit_log" VALUES(7,'458202de-0602-44af-b4bb-81d9aceaf206',1,'2026-11-22T03:50:10.733028Z','夹具 fixture','archived','{}','4242d7ac9a6820da38ab2ee8be6be48bcbd04d0c1e6f69af49178fc28c46c8f6','409465b4461b2ce0e682ac5a7425b16a3f94e5d7ff99cc7f69ed38b66251aac0');
CREATE TABLE imported_audit (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (assessment_id, position)
);
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'in_review', 'approved')),
    answers TEXT NOT NULL DEFAULT '{}',
    based_on INTEGER,
    review_reason TEXT,
    review_note TEXT,
    approved_by TEXT,
    approved_role TEXT,
    approved_at TEXT,
    content_hash TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (assessment_id, number)
);
INSERT INTO "revisions" VALUES(1,1,1,'approved','{"a_project_name":"门禁 fixture","a_scope":"A 座","m_report_date":"2026-01-05"}',NULL,NULL,NULL,'李明','DPO','2026-01-05T08:00:00.000000Z','3eb062adcb2c6e6ee024d20f6e9e2cf99502e688b86c5f2457e2de94a1c0d209','2026-11-22T03:50:10.730372Z','2026-11-22T03:50:10.732086Z');
INSERT INTO "revisions" VALUES(2,1,2,'draft','{"a_assessment_type":"periodic","a_project_name":"门禁 fixture","a_scope":"A 座","m_report_date":"2026-01-05"}',1,'periodic','年度复评',NULL,NULL,NULL,NULL,'2026-11-22T03:50:10.732487Z','2026-11-22T03:50:10.732487Z');
INSERT INTO "revisions" VALUES(3,2,1,'draft','{}',NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2026-11-22T03:50:10.732727Z','2026-11-22T03:50:10.732727Z');
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO "settings" VALUES('actor_name','夹具 fixture');
CREATE INDEX assessments_by_update ON assessments(archived, updated_at);
CREATE TRIGGER revisions_frozen_update BEFORE UPDATE ON revisions
WHEN OLD.status = 'approved'
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER revisions_frozen_delete BEFORE DELETE ON revisions
WHEN OLD.status = 'approved'
    AND EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER revisions_approved_needs_hash BEFORE INSERT ON revisions
WHEN NEW.status = 'approved' AND (NEW.content_hash IS NULL OR NEW.approved_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'an approved revision needs its hash and approval date'); END;
CREATE TRIGGER revisions_approval_needs_hash BEFORE UPDATE ON revisions
WHEN OLD.status != 'approved' AND NEW.status = 'approved'
    AND (NEW.content_hash IS NULL OR NEW.approved_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'an approved revision needs its hash and approval date'); END;
CREATE INDEX audit_by_assessment ON audit_log(assessment_uid, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER imported_audit_no_update BEFORE UPDATE ON imported_audit
BEGIN SELECT RAISE(ABORT, 'imported audit entries are read-only'); END;
COMMIT;
PRAGMA user_version = 1;
