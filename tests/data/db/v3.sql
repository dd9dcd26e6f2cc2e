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
INSERT INTO "assessments" VALUES(1,'bfad50e4-c93c-4c99-a2a2-73aad31890ff','门禁 fixture','face_voice_pia','0.1','draft',2,0,NULL,'2026-11-30T05:41:36.253898Z','2026-11-30T05:41:36.272156Z');
INSERT INTO "assessments" VALUES(2,'4a5be348-d907-472b-b8e8-cfd6cea068d2','archived fixture','face_voice_pia','0.1','draft',1,1,NULL,'2026-11-30T05:41:36.272571Z','2026-11-30T05:41:36.272571Z');
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    row_index INTEGER CHECK (row_index IS NULL OR row_index >= 0),
    name TEXT NOT NULL CHECK (length(name) > 0),
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),
    sha256 TEXT NOT NULL REFERENCES blobs(sha256),
    note TEXT NOT NULL DEFAULT '',
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    progress_id INTEGER REFERENCES treatment_progress(id) ON DELETE CASCADE
);
INSERT INTO "attachments" VALUES(1,1,1,'a_scope',NULL,'同意界面.png','image/png',12,'97a095905c73bb5eb460f822a45738b1a447eed5f6fdb649b483e1d1c970970d','','夹具 fixture','2026-11-30T05:41:36.264406Z',NULL);
INSERT INTO "attachments" VALUES(2,1,1,'m_treatments',0,'合同.pdf','application/pdf',16,'c5c2e8be6ad0825a56ded1f1a153ceaf11dc060ab44b120a94406a08207babc2','','夹具 fixture','2026-11-30T05:41:36.269147Z',NULL);
INSERT INTO "attachments" VALUES(3,1,1,'m_treatments',0,'加密报告.txt','text/plain',23,'72ed362e8894d456d404bf61d83033bb71b35121e2b51127b300d360f4eaacef','已完成','夹具 fixture','2026-11-30T05:41:36.271798Z',1);
INSERT INTO "attachments" VALUES(4,1,2,'a_scope',NULL,'同意界面.png','image/png',12,'97a095905c73bb5eb460f822a45738b1a447eed5f6fdb649b483e1d1c970970d','','夹具 fixture','2026-11-30T05:41:36.264406Z',NULL);
INSERT INTO "attachments" VALUES(5,1,2,'m_treatments',0,'合同.pdf','application/pdf',16,'c5c2e8be6ad0825a56ded1f1a153ceaf11dc060ab44b120a94406a08207babc2','','夹具 fixture','2026-11-30T05:41:36.269147Z',NULL);
INSERT INTO "attachments" VALUES(6,1,2,'m_treatments',0,'加密报告.txt','text/plain',23,'72ed362e8894d456d404bf61d83033bb71b35121e2b51127b300d360f4eaacef','已完成','夹具 fixture','2026-11-30T05:41:36.271798Z',NULL);
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
INSERT INTO "audit_log" VALUES(1,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.254385Z','夹具 fixture','created','{"form":"face_voice_pia","state":{"content_hash":"b00a508847d402f86ffe5ff518ec15cf1e8b457f8e6e98a802a2693f91f2184c","number":1,"status":"draft"},"title":"门禁 fixture","version":"0.1"}','0000000000000000000000000000000000000000000000000000000000000000','fa00c80b2cd4b05b91453c67557e1865effb304772f8c235531b38c258d9f794','f67923127a658bcf4396af72ebf9d41f8a1ccf6d2b83923aab43898b31fb8849',NULL);
INSERT INTO "audit_log" VALUES(2,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.255022Z','夹具 fixture','answered','{"changes":{"a_project_name":[null,"门禁 fixture"],"a_scope":[null,"A 座"],"m_report_date":[null,"2026-01-05"],"m_treatments":[null,[{"deadline":"2026-03-01","measure":"模板加密","ref_id":"R1","status":"planned"}]]},"state":{"content_hash":"6bc03b8c62e549a4bd3dfc5d64a6f7cd6b71f54b63150249bba172567eff9ef1","number":1,"status":"draft"}}','fa00c80b2cd4b05b91453c67557e1865effb304772f8c235531b38c258d9f794','95257f5c5525e6778efaa8a8aca00ebba20d3df13f0d4c6ceaf9b8d7dd85f578','6414761c5e77d9abc7fd25137ecb3471221d4c0386a5743dbe6f7ecc46cd0f4b',NULL);
INSERT INTO "audit_log" VALUES(3,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.255387Z','夹具 fixture','roles_set','{"from":[],"role":"author","to":["王芳","夹具 fixture"]}','95257f5c5525e6778efaa8a8aca00ebba20d3df13f0d4c6ceaf9b8d7dd85f578','da76b892d04b50b53c15ee82cb147a1185a1e0c8a7a0cc71bfd21c639698f7d6','5101e1c56dbd47fd803e5285532c411891e431b909971ee59c76c64fd016997d',NULL);
INSERT INTO "audit_log" VALUES(4,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.255611Z','夹具 fixture','roles_set','{"from":[],"role":"reviewer","to":["李明"]}','da76b892d04b50b53c15ee82cb147a1185a1e0c8a7a0cc71bfd21c639698f7d6','93ad8a5f7e8d8d0acc962f50a0c6845c3da28227f5f015d58d6d80ee2db87354','99b15f2ae8109c646d7d1f9152563f7f5fb30dec8dc35875048f45e8e533faa2',NULL);
INSERT INTO "audit_log" VALUES(5,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.255857Z','夹具 fixture','comment_added','{"question":"a_scope","text":"范围是否包括 B 座？","thread":1}','93ad8a5f7e8d8d0acc962f50a0c6845c3da28227f5f015d58d6d80ee2db87354','98f6f2d218249622ad983d4890739008b70d2ef46a81874917638b823e0823d5','143567a246ce8be16b1886a7986b9a742d711be836ba98e81ed218d31a6a62c6',NULL);
INSERT INTO "audit_log" VALUES(6,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.256172Z','夹具 fixture','comment_added','{"question":"a_scope","text":"不包括。","thread":1}','98f6f2d218249622ad983d4890739008b70d2ef46a81874917638b823e0823d5','d999b58803cad44c3245ecb7da7db70aee23045eedc7b58558adc3efaf6ad7bd','b3211606915fe9135fbc6abcbb0aaac2be030f3ce5297d8fdab3dba9135620cb',NULL);
INSERT INTO "audit_log" VALUES(7,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.256445Z','夹具 fixture','comment_resolved','{"question":"a_scope","thread":1}','d999b58803cad44c3245ecb7da7db70aee23045eedc7b58558adc3efaf6ad7bd','b0faf1d04c2bf5237deef0139942979e6b3bd26b995608c12a8151cc6b8427a7','cb3f5717f12f41436abef6cc1cf638b13b97a74cb5547639c361f06fb481dda0',NULL);
INSERT INTO "audit_log" VALUES(8,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.256813Z','夹具 fixture','section_evaluated','{"comment":"补充范围说明","role":"审核人","section":"A","verdict":"to_improve"}','b0faf1d04c2bf5237deef0139942979e6b3bd26b995608c12a8151cc6b8427a7','4ed2dda263c9f8780c62f7197c2b48dca38deb5b45bf24fc678c16c2cf7351c0','fe538d583131728fa0d8437c620d92e67b1cee26f86a0ebaf4bde78c6ebcbc9e',NULL);
INSERT INTO "audit_log" VALUES(9,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.261494Z','夹具 fixture','dpo_advice','{"advice":"建议缩短保存期限"}','4ed2dda263c9f8780c62f7197c2b48dca38deb5b45bf24fc678c16c2cf7351c0','5e2ed19f8337db3434d0130831363e2224acff993ecb531539577afc53fe9a3b','350c870acc4d4822ff8d804f32b9d98bf64ecd2469990e4099a6ebf24d3a3873',NULL);
INSERT INTO "audit_log" VALUES(10,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.261821Z','夹具 fixture','dpo_decision','{"decision":"overruled","reason":"法规要求保存三年"}','5e2ed19f8337db3434d0130831363e2224acff993ecb531539577afc53fe9a3b','a54b29b3db056a38979a3eb1f0643fb5b423878e47638a191694b4f138dccead','4e7e1ab47d0cce8578cbf52084116e8a685643cb57eb386ddfa817fbfabe1cd4',NULL);
INSERT INTO "audit_log" VALUES(11,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.264563Z','夹具 fixture','attached','{"attachment":1,"name":"同意界面.png","question":"a_scope","row":null,"sha256":"97a095905c73bb5eb460f822a45738b1a447eed5f6fdb649b483e1d1c970970d","size":12}','a54b29b3db056a38979a3eb1f0643fb5b423878e47638a191694b4f138dccead','7f3e937969b8ca106002fd02775277686e87ca21afa75e7aa490f858278c9e24','b1e1674727c1ef5d9edaa83d8d98c4c6ad2d186f09a4a980f30e13b0114a4c28',NULL);
INSERT INTO "audit_log" VALUES(12,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.269231Z','夹具 fixture','attached','{"attachment":2,"name":"合同.pdf","question":"m_treatments","row":0,"sha256":"c5c2e8be6ad0825a56ded1f1a153ceaf11dc060ab44b120a94406a08207babc2","size":16}','7f3e937969b8ca106002fd02775277686e87ca21afa75e7aa490f858278c9e24','3b373bc676177569db554f9ce2bd8670414f9b1162cfc43007f7d92cd207212d','bdc30989199b9fb94333f25102c913396dd2e08a19999059ed9d489a350d3918',NULL);
INSERT INTO "audit_log" VALUES(13,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.269747Z','夹具 fixture','status','{"from":"draft","state":{"content_hash":"6bc03b8c62e549a4bd3dfc5d64a6f7cd6b71f54b63150249bba172567eff9ef1","number":1,"status":"in_review"},"to":"in_review"}','3b373bc676177569db554f9ce2bd8670414f9b1162cfc43007f7d92cd207212d','3043d2d86b7d15beae4b835f33a7eecf112fc69fe71422c3337cad9dfaea7c73','d8781076de859239181d48ff755120e381b03d796424a1da469f9d7f1a28535d',NULL);
INSERT INTO "audit_log" VALUES(14,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.270142Z','夹具 fixture','approved','{"approved_at":"2026-01-05T08:00:00.000000Z","approved_by":"李明","approved_role":"DPO","content_hash":"6bc03b8c62e549a4bd3dfc5d64a6f7cd6b71f54b63150249bba172567eff9ef1","from":"in_review","state":{"approved_at":"2026-01-05T08:00:00.000000Z","approved_by":"李明","approved_role":"DPO","content_hash":"6bc03b8c62e549a4bd3dfc5d64a6f7cd6b71f54b63150249bba172567eff9ef1","number":1,"status":"approved"},"to":"approved"}','3043d2d86b7d15beae4b835f33a7eecf112fc69fe71422c3337cad9dfaea7c73','de11f769a4f44b7656ce2b9015af6974e6fd96eb6d8e18fe95cba24973dab536','8f27553747688f61aa0c5776c560230f1376fd60be83e77cb38b6407ef6f8c02',NULL);
INSERT INTO "audit_log" VALUES(15,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',1,'2026-11-30T05:41:36.271839Z','夹具 fixture','treatment_status','{"date":"2026-02-20","evidence":{"attachment":3,"name":"加密报告.txt","sha256":"72ed362e8894d456d404bf61d83033bb71b35121e2b51127b300d360f4eaacef"},"note":"已完成","ref_id":"R1","row":0,"status":"done"}','de11f769a4f44b7656ce2b9015af6974e6fd96eb6d8e18fe95cba24973dab536','43d781f433aff76c35a0827c966ef9784b94001ec1d4ecbdaf027b8bb9b177b7','c3d69294c32a30677d4f10fe9ae4a9750289c21b0745fd326ba0658ec75c88bf',NULL);
INSERT INTO "audit_log" VALUES(16,'bfad50e4-c93c-4c99-a2a2-73aad31890ff',2,'2026-11-30T05:41:36.272451Z','夹具 fixture','review_started','{"based_on":1,"note":"年度复评","reason":"periodic","state":{"content_hash":"abc62f965ec451a4ab024058f4d0987661c26c7d7166b4bfcad4bba9512e2277","number":2,"status":"draft"}}','43d781f433aff76c35a0827c966ef9784b94001ec1d4ecbdaf027b8bb9b177b7','03e95fb39c053ac4591e94b7ae849e3ac0e54e5773f4a09f5434eb43ac48d872','705d86120c07234d145f48b2a7a6e1c47f599defdffd0fcbbcf277117961cb05',NULL);
INSERT INTO "audit_log" VALUES(17,'4a5be348-d907-472b-b8e8-cfd6cea068d2',1,'2026-11-30T05:41:36.272661Z','夹具 fixture','created','{"form":"face_voice_pia","state":{"content_hash":"b00a508847d402f86ffe5ff518ec15cf1e8b457f8e6e98a802a2693f91f2184c","number":1,"status":"draft"},"title":"archived fixture","version":"0.1"}','03e95fb39c053ac4591e94b7ae849e3ac0e54e5773f4a09f5434eb43ac48d872','b3cc4ed18cdcd6c375bb97e441eca6f1bb9486e6a7a5f07343cc4d088c465972','b43da62488fa7d16f3369490bbd96b64cca2df8b5124328bd4f4b0989bf6d620',NULL);
INSERT INTO "audit_log" VALUES(18,'4a5be348-d907-472b-b8e8-cfd6cea068d2',1,'2026-11-30T05:41:36.272804Z','夹具 fixture','archived','{}','b3cc4ed18cdcd6c375bb97e441eca6f1bb9486e6a7a5f07343cc4d088c465972','7c2142aa4de915799f582102c1776b1701cd4b20b2ecf336460ca6fb877c53a1','44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',NULL);
INSERT INTO "audit_log" VALUES(19,'26086ff1-ee1c-4192-83dc-42b87e31a3bf',1,'2026-11-30T05:41:36.274696Z','夹具 fixture','created','{"form":"face_voice_pia","state":{"content_hash":"b00a508847d402f86ffe5ff518ec15cf1e8b457f8e6e98a802a2693f91f2184c","number":1,"status":"draft"},"title":"deleted fixture","version":"0.1"}','7c2142aa4de915799f582102c1776b1701cd4b20b2ecf336460ca6fb877c53a1','1c77527dc3b95f32fac6cd26f88887de60bd5594374708462a9ddf00d7a15d7f','77e57ca262a213467fdc34bd2a2760d0066e55ad4184e194823a016e0b6544be',NULL);
INSERT INTO "audit_log" VALUES(20,'26086ff1-ee1c-4192-83dc-42b87e31a3bf',1,'2026-11-30T05:41:36.275025Z','夹具 fixture','answered','{"changes":{"a_scope":[null,"删除的范围 deleted scope"]},"state":{"content_hash":"303e913af576fdf2a0643bef1de41d0fc937767927d20b8023abfc7f75133403","number":1,"status":"draft"}}','1c77527dc3b95f32fac6cd26f88887de60bd5594374708462a9ddf00d7a15d7f','ebe5cc08c73db43f21a214c161f225a545df94b8f3a781ed384abc7612bdadf6','8eb2e4e96a775accadedeced1fe03d14d5f9f398e282a97f09123e746a936e68',NULL);
INSERT INTO "audit_log" VALUES(21,'26086ff1-ee1c-4192-83dc-42b87e31a3bf',1,'2026-11-30T05:41:36.275493Z','夹具 fixture','deleted','{"revisions":1,"title":"deleted fixture"}','ebe5cc08c73db43f21a214c161f225a545df94b8f3a781ed384abc7612bdadf6','903f2d9e7c0a9cbae2e0376402e27a0b0c2e7d9f734ba6dac224c594261dae3b','757769ae16e2c0bc7085b45100c89ad149ff9b300af50ad8a899427de27f2176',NULL);
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size INTEGER NOT NULL CHECK (size >= 0),
    data BLOB NOT NULL
);
INSERT INTO "blobs" VALUES('97a095905c73bb5eb460f822a45738b1a447eed5f6fdb649b483e1d1c970970d',12,X'89504E472066697874757265');
INSERT INTO "blobs" VALUES('c5c2e8be6ad0825a56ded1f1a153ceaf11dc060ab44b120a94406a08207babc2',16,X'255044462D312E342066697874757265');
INSERT INTO "blobs" VALUES('72ed362e8894d456d404bf61d83033bb71b35121e2b51127b300d360f4eaacef',23,X'E58AA0E5AF86E5B7B2E590AFE794A82066697874757265');
CREATE TABLE comment_threads (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    question_id TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    resolved_by TEXT,
    resolved_at TEXT,
    CHECK ((resolved_by IS NULL) = (resolved_at IS NULL))
);
INSERT INTO "comment_threads" VALUES(1,1,1,'a_scope','夹具 fixture','2026-11-30T05:41:36.255754Z','夹具 fixture','2026-11-30T05:41:36.256385Z');
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES comment_threads(id) ON DELETE CASCADE,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
);
INSERT INTO "comments" VALUES(1,1,1,1,'夹具 fixture','2026-11-30T05:41:36.255754Z','范围是否包括 B 座？');
INSERT INTO "comments" VALUES(2,1,1,1,'夹具 fixture','2026-11-30T05:41:36.256145Z','不包括。');
CREATE TABLE dpo_advice (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    advice TEXT NOT NULL,
    given_by TEXT NOT NULL,
    given_at TEXT NOT NULL,
    decision TEXT CHECK (decision IS NULL OR decision IN ('followed', 'overruled')),
    reason TEXT NOT NULL DEFAULT '',
    decided_by TEXT,
    decided_at TEXT,
    CHECK (decision IS NOT 'overruled' OR length(trim(reason)) > 0),
    PRIMARY KEY (assessment_id, revision)
);
INSERT INTO "dpo_advice" VALUES(1,1,'建议缩短保存期限','夹具 fixture','2026-11-30T05:41:36.261298Z','overruled','法规要求保存三年','夹具 fixture','2026-11-30T05:41:36.261748Z');
CREATE TABLE imported_audit (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (assessment_id, position)
);
CREATE TABLE review_roles (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('author', 'reviewer', 'dpo', 'approver')),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (assessment_id, revision, role, name)
);
INSERT INTO "review_roles" VALUES(1,1,'author','王芳',0);
INSERT INTO "review_roles" VALUES(1,1,'author','夹具 fixture',1);
INSERT INTO "review_roles" VALUES(1,1,'reviewer','李明',0);
INSERT INTO "review_roles" VALUES(1,2,'author','夹具 fixture',1);
INSERT INTO "review_roles" VALUES(1,2,'author','王芳',0);
INSERT INTO "review_roles" VALUES(1,2,'reviewer','李明',0);
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
INSERT INTO "revisions" VALUES(1,1,1,'approved','{"a_project_name":"门禁 fixture","a_scope":"A 座","m_report_date":"2026-01-05","m_treatments":[{"deadline":"2026-03-01","measure":"模板加密","ref_id":"R1","status":"planned"}]}',NULL,NULL,NULL,'李明','DPO','2026-01-05T08:00:00.000000Z','6bc03b8c62e549a4bd3dfc5d64a6f7cd6b71f54b63150249bba172567eff9ef1','2026-11-30T05:41:36.253898Z','2026-11-30T05:41:36.269982Z');
INSERT INTO "revisions" VALUES(2,1,2,'draft','{"a_assessment_type":"periodic","a_project_name":"门禁 fixture","a_scope":"A 座","m_report_date":"2026-01-05","m_treatments":[{"deadline":"2026-03-01","measure":"模板加密","ref_id":"R1","status":"planned"}]}',1,'periodic','年度复评',NULL,NULL,NULL,NULL,'2026-11-30T05:41:36.272156Z','2026-11-30T05:41:36.272156Z');
INSERT INTO "revisions" VALUES(3,2,1,'draft','{}',NULL,NULL,NULL,NULL,NULL,NULL,NULL,'2026-11-30T05:41:36.272571Z','2026-11-30T05:41:36.272571Z');
CREATE TABLE section_evaluations (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    section_id TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('acceptable', 'to_improve', 'not_acceptable')),
    comment TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    reviewer_role TEXT NOT NULL,
    evaluated_at TEXT NOT NULL,
    PRIMARY KEY (assessment_id, revision, section_id)
);
INSERT INTO "section_evaluations" VALUES(1,1,'A','to_improve','补充范围说明','李明','审核人','2026-11-30T05:41:36.256699Z');
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO "settings" VALUES('actor_name','夹具 fixture');
CREATE TABLE treatment_progress (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    row_index INTEGER NOT NULL CHECK (row_index >= 0),
    status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done')),
    on_date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
INSERT INTO "treatment_progress" VALUES(1,1,1,0,'done','2026-02-20','已完成','夹具 fixture','2026-11-30T05:41:36.271679Z');
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
CREATE TRIGGER blobs_no_update BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'stored files are content-addressed and never change'); END;
CREATE INDEX comment_threads_by_revision ON comment_threads(assessment_id, revision);
CREATE INDEX comments_by_thread ON comments(thread_id, id);
CREATE TRIGGER comments_no_update BEFORE UPDATE ON comments
BEGIN SELECT RAISE(ABORT, 'a comment is never edited; reply instead'); END;
CREATE INDEX treatment_progress_by_row ON treatment_progress(assessment_id, revision, row_index, id);
CREATE TRIGGER treatment_progress_no_update BEFORE UPDATE ON treatment_progress
BEGIN SELECT RAISE(ABORT, 'follow-up entries are append-only'); END;
CREATE TRIGGER treatment_progress_no_delete BEFORE DELETE ON treatment_progress
WHEN EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'follow-up entries are append-only'); END;
CREATE INDEX attachments_by_revision ON attachments(assessment_id, revision);
CREATE INDEX attachments_by_blob ON attachments(sha256);
CREATE TRIGGER review_roles_frozen_insert BEFORE INSERT ON review_roles
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = NEW.assessment_id AND number = NEW.revision AND status = 'approved')
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER review_roles_frozen_update BEFORE UPDATE ON review_roles
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved')
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER review_roles_frozen_delete BEFORE DELETE ON review_roles
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved') AND EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER section_evaluations_frozen_insert BEFORE INSERT ON section_evaluations
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = NEW.assessment_id AND number = NEW.revision AND status = 'approved')
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER section_evaluations_frozen_update BEFORE UPDATE ON section_evaluations
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved')
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER section_evaluations_frozen_delete BEFORE DELETE ON section_evaluations
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved') AND EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER comment_threads_frozen_insert BEFORE INSERT ON comment_threads
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = NEW.assessment_id AND number = NEW.revision AND status = 'approved')
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER comment_threads_frozen_update BEFORE UPDATE ON comment_threads
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved')
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER comment_threads_frozen_delete BEFORE DELETE ON comment_threads
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved') AND EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER comments_frozen_insert BEFORE INSERT ON comments
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = NEW.assessment_id AND number = NEW.revision AND status = 'approved')
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER comments_frozen_update BEFORE UPDATE ON comments
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved')
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER comments_frozen_delete BEFORE DELETE ON comments
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved') AND EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER dpo_advice_frozen_insert BEFORE INSERT ON dpo_advice
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = NEW.assessment_id AND number = NEW.revision AND status = 'approved')
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER dpo_advice_frozen_update BEFORE UPDATE ON dpo_advice
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved')
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER dpo_advice_frozen_delete BEFORE DELETE ON dpo_advice
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved') AND EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER attachments_frozen_insert BEFORE INSERT ON attachments
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = NEW.assessment_id AND number = NEW.revision AND status = 'approved') AND NEW.progress_id IS NULL
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER attachments_frozen_update BEFORE UPDATE ON attachments
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved')
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER attachments_frozen_delete BEFORE DELETE ON attachments
WHEN EXISTS (SELECT 1 FROM revisions WHERE assessment_id = OLD.assessment_id AND number = OLD.revision AND status = 'approved') AND EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
BEGIN SELECT RAISE(ABORT, 'revision is approved and frozen'); END;
CREATE TRIGGER revisions_approval_needs_review BEFORE UPDATE ON revisions
WHEN OLD.status != 'approved' AND NEW.status = 'approved' AND (
    EXISTS (SELECT 1 FROM comment_threads WHERE assessment_id = NEW.assessment_id
            AND revision = NEW.number AND resolved_at IS NULL)
    OR EXISTS (SELECT 1 FROM section_evaluations WHERE assessment_id = NEW.assessment_id
            AND revision = NEW.number AND verdict = 'not_acceptable'))
BEGIN SELECT RAISE(ABORT, 'open comments or a section not acceptable block approval'); END;
COMMIT;
PRAGMA user_version = 3;
