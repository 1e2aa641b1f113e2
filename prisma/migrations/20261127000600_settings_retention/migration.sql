-- Installation-wide settings, one JSON value per key (`retention` now; other sections add keys).
-- Retention: {"rawFlowDays": n, "rollupDays": n}; the collector's retention job reads it and drops
-- whole day partitions older than that (never a row-by-row delete).
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" TEXT,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

INSERT INTO "settings" ("key", "value") VALUES ('retention', '{"rawFlowDays": 30, "rollupDays": 400}')
ON CONFLICT ("key") DO NOTHING;

-- SSO users are linked by the identity provider's (issuer, subject), never by a username that a
-- local account might share.
ALTER TABLE "users" ADD COLUMN "oidc_subject" TEXT;
CREATE UNIQUE INDEX "users_oidc_subject_key" ON "users"("oidc_subject");

CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");
