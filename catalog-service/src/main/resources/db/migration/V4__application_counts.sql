-- An application's service and cluster counts, kept on its row by the service layer (which holds the row's lock
-- for every change to its services and clusters): GET /applications reads them instead of counting every cluster
-- of every application per request (a group-by over the whole cluster table: 12,129 sequential scans of 11,000
-- rows in one 20-second read run of the 10,000-cluster benchmark).
ALTER TABLE application
    ADD COLUMN service_count INTEGER NOT NULL DEFAULT 0 CHECK (service_count >= 0),
    ADD COLUMN cluster_count INTEGER NOT NULL DEFAULT 0 CHECK (cluster_count >= 0);

UPDATE application a
SET service_count = (SELECT count(*) FROM service s WHERE s.application_id = a.id),
    cluster_count = (SELECT count(*) FROM cluster c WHERE c.application_id = a.id);
