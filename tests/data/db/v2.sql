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
INSERT INTO "assessments" VALUES(1,'f4826b7f-8a1e-4246-8725-0bda4f91d8ce','门禁 fixture','face_voice_pia','0.1','draft',2,0,NULL,'2026-11-30T05:39:44.486469Z','2026-11-30T05:39:44.488061Z');
INSERT INTO "assessments" VALUES(2,'0d1819be-f70c-4921-8b80-49f97f4d2b46','archived fixture','face_voice_pia','0.1','draft',1,1,NULL,'2026-11-30T05:39:44.488252Z','2026-11-30T05:39:44.488252Z');
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
, detail_hash TEXT, scrubbed_at TEXT);
INSERT INTO "audit_log" VALUES(1,'f4826b7f-8a1e-4246-8725-0bda4f91d8ce',1,'2026-11-30T05:39:44.486744Z','夹具 fixture','created','{"form":"face_voice_pia","state":{"content_hash":"b00a508847d402f86ffe5ff518ec15cf1e8b457f8e6e98a802a2693f91f2184c","number":1,"status":"draft"},"title":"门禁 fixture","version":"0.1"}','0000000000000000000000000000000000000000000000000000000000000000','c0b8131b94084a283cecaec3b8ef84b35540532b134f5f7a3b45db8d53d0887d','f67923127a658bcf4396af72ebf9d41f8a1ccf6d2b83923aab43898b31fb8849',NULL);
INSERT INTO "audit_log" VALUES(2,'f4826b7f-8a1e-4246-8725-0bda4f91d8ce',1,'2026-11-30T05:39:44.487226Z','夹具 fixture','answered','{"changes":{"a_project_name":[null,"门禁 fixture"],"a_scope":[null,"A 座"],"m_report_date":[null,"2026-01-05"]},"state":{"content_hash":"3eb062adcb2c6e6ee024d20f6e9e2cf99502e688b86c5f2457e2de94a1c0d209","number":1,"status":"draft"}}','c0b8131b94084a283cecaec3b8ef84b35540532b134f5f7a3b45db8d53d0887d','85287edc36c7580f1d4edc51607874b1524482c482c1b34c62224086a2ee6091','2f37894de7d0e3e0b8d63fa68b9294905012f0a75b81b63aede43401f0e02c82',NULL);
INSERT INTO "audit_log" VALUES(3,'f4826b7f-8a1e-4246-8725-0bda4f91d8ce',1,'2026-11-30T05:39:44.487568Z','夹具 fixture','status','{"from":"draft","state":{"content_hash":"3eb062adcb2c6e6ee024d20f6e9e2cf99502e688b86c5f2457e2de94a1c0d209","number":1,"status":"in_review"},"to":"in_review"}','85287edc36c7580f1d4edc51607874b1524482c482c1b34c62224086a2ee6091','04c8b40e5a4456844d536f2d67c5f7a96eb4a8e09e7d1de713b1f841ae138e67','053d6fbd26d91a1c129cb144a7af5bc50da024efca4fa4abda69cffeb185a22d',NULL);
INSERT INTO "audit_log" VALUES(4,'f4826b7f-8a1e-4246-8725-0bda4f91d8ce',1,'2026-11-30T05:39:44.487871Z','夹具 fixture','approved','{"approved_at":"2026-01-05T08:00:00.000000Z","approved_by":"李明","approved_role":"DPO","content_hash":"3eb062adcb2c6e6ee024d20f6e9e2cf99502e688b86c5f2457e2de94a1c0d209","from":"in_review","state":{"approved_at":"2026-01-05T08:00:00.000000Z","approved_by":"李明","approved_role":"DPO","content_hash":"3eb062adcb2c6e6ee024d20f6e9e2cf99502e688b86c5f2457e2de94a1c0d209","number":1,"status":"approved"},"to":"approved"}','04c8b40e5a4456844d536f2d67c5f7a96eb4a8e09e7d1de713b1f841ae138e67','58e431e946c6903e5e126f7ab73ba865a6691bd9a50961e26e2e3fc969a72cf6','e1218a76377965d2436db690cb57914bafdcfdc9f8accee7ebf6eb65e2ba1d5b',NULL);
INSERT INTO "audit_log" VALUES(5,'f4826b7f-8a1e-4246-8725-0bda4f91d8ce',2,'2026-11-30T05:39:44.488170Z','夹具 fixture','review_started','{"based_on":1,"note":"年度复评","reason":"periodic","state":{"content_hash":"8d5d716a1d2c307b9deb55bf4f6d09c4dce871fcc846b9d2888aec0a31815ef1","number":2,"status":"draft"}}','58e431e946c6903e5e126f7ab73ba865a6691bd9a50961e26e2e3fc969a72cf6','15e638aa74ed49696c16fa6c7cdb1794a3f54830c2444fe1dad581b0b948bca8','d552e8ebaad6101458cca9202c8a72ad29f98c57b9f85300b5689d3f57ef05ce',NULL);
INSERT INTO "audit_log" VALUES(6,'0d1819be-f70c-4921-8b80-49f97f4d2b46',1,'2026-11-30T05:39:44.488331Z','夹具 fixture','created','{"form":"face_voice_pia","state":{"content_hash":"b00a508847d402f86ffe5ff518ec15cf1e8b457f8e6e98a802a2693f91f2184c","number":1,"status":"draft"},"title":"archived fixture","version":"0.1"}','15e638aa74ed49696c16fa6c7cdb1794a3f54830c2444fe1dad581b0b948bca8','c1ca40d11cac9fc5ed93562cb32b5980a33b4f4f2ef8e7d41ef4d23a30cff589','b43da62488fa7d16f3369490bbd96b64cca2df8b5124328bd4f4b0989bf6d620',NULL);
INSERT INTO "audit_log" VALUES(7,'0d1819be-f70c-4921-8b80-49f97f4d2b46',1,'2026-11-30T05:39:44.488469Z','夹具 fixture','archived','{}','c1ca40d11cac9fc5ed93562cb32b5980a33b4f4f2ef8e7d41ef4d23a30cff589','9ce272aa65c65c4356c1d7d92fc7861e174d987e3999a04ec5ecfce3416c3d1a','44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',NULL);
INSERT INTO "audit_log" VALUES(8,'22e2bc40-d167-47e4-8f9e-913de1ae79be',1,'2026-11-30T05:39:44.488591Z','夹具 fixture','created','{"form":"face_voice_pia","state":{"content_hash":"b00a508847d402f86ffe5ff518ec15cf1e8b457f8e6e98a802a2693f91f2184c","number":1,"status":"draft"},"title":"deleted fixture","version":"0.1"}','9ce272aa65c65c4356c1d7d92fc7861e174d987e3999a04ec5ecfce3416c3d1a','818a1b504008f4b80e197f906287d22b24964970009b5b35bd6991607aca928a','77e57ca262a213467fdc34bd2a2760d0066e55ad4184e194823a016e0b6544be',NULL);
INSERT INTO "audit_log" VALUES(9,'22e2bc40-d167-47e4-8f9e-913de1ae79be',1,'2026-11-30T05:39:44.488781Z','夹具 fixture','answered','{"changes":{"a_scope":[null,"删除的范围 deleted scope"]},"state":{"content_hash":"303e913af576fdf2a0643bef1de41d0fc937767927d20b8023abfc7f75133403","number":1,"status":"draft"}}','818a1b504008f4b80e197f906287d22b24964970009b5b35bd6991607aca928a','1020fc72314fccde89235882e5c377c7df9a9c494b1a09a9dc0e8e65a83067e2','8eb2e4e96a775accadedeced1fe03d14d5f9f398e282a97f09123e746a936e68',NULL);
INSERT INTO "audit_log" VALUES(10,'22e2bc40-d167-47e4-8f9e-913de1ae79be',1,'2026-11-30T05:39:44.489198Z','夹具 fixture','deleted','{"revisions":1,"title":"deleted fixture"}','1020fc72314fccde89235882e5c377c7df9a9c494b1a09a9dc0e8e65a83067e2','62854dc7185842825dc156dff70fafa6a15c9d352896251878a991b3a3abf76b','757769ae16e2c0bc7085b45100c89ad149ff9b300af50ad8a899427de27f2176',NULL);
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
INSERT INTO "revisions" VALUES(1,1,1,'approved','{"a_project_name":"门禁 fixture","a_scope":"A 座","m_report_date":"2026-01-05"}',NULL,NULL,NULL,'李明','DPO','2026-01-05T08:00:00.000000Z','3eb062adcb2c6e6ee024d20f6e9e2cf99502e688b86c5f2457e2de94a1c0d209','2026-11-30T05:39:44.486469Z','2026-11-30T05:39:44.487725Z');
INSERT INTO "revisions" VALUES(2,1,2,'draft','{"a_assessment_type":"periodic","a_project_name":"门禁 fixture","a_scope":"A 座","m_report_date":"2026-01-05"}',1,'periodic','年度复评',NULL,NULL,NULL,NULL,'2026-11-30T05:39:44.488061Z','2026-11-30T05:39:44.488061Z');
INSERT INTO "revisions" VALUES(3,2,1,'draft','{}',NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2026-11-30T05:39:44.488252Z','2026-11-30T05:39:44.488252Z');
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
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER imported_audit_no_update BEFORE UPDATE ON imported_audit
BEGIN SELECT RAISE(ABORT, 'imported audit entries are read-only'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
    OLD.scrubbed_at IS NULL AND NEW.scrubbed_at IS NOT NULL
    AND NEW.id = OLD.id AND NEW.assessment_uid = OLD.assessment_uid
    AND NEW.revision IS OLD.revision AND NEW.ts = OLD.ts AND NEW.actor = OLD.actor
    AND NEW.action = OLD.action AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash
    AND NEW.detail_hash IS OLD.detail_hash
    AND NOT EXISTS (SELECT 1 FROM assessments WHERE uid = OLD.assessment_uid)
)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
COMMIT;
PRAGMA user_version = 2;
