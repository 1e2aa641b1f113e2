-- Admin GenAI classification rules (issue 6): one row, id 'default', holding the validated rule list
-- (core/genai `parseGenAiRules` shape). Read on every GenAI query, so an edit applies on the next one.

-- CreateTable
CREATE TABLE "genai_rule_sets" (
    "id" TEXT NOT NULL,
    "rules" JSONB NOT NULL DEFAULT '[]',
    "updated_by" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "genai_rule_sets_pkey" PRIMARY KEY ("id")
);
