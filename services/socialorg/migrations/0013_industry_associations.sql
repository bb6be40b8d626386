-- Industry associations and chambers of commerce (行业协会商会): social groups so marked at
-- registration. Only they sign the yearly credit commitment (诚信建设). A social group that signed
-- one before this marker existed was one: it is marked.
ALTER TABLE organisations ADD COLUMN industry_association boolean NOT NULL DEFAULT false;
UPDATE organisations o SET industry_association = true
WHERE o.kind = 'SOCIAL_GROUP'
  AND EXISTS (SELECT 1 FROM credit_commitments c WHERE c.organisation_id = o.organisation_id);
ALTER TABLE organisations ADD CONSTRAINT organisations_industry_association_kind
  CHECK (NOT industry_association OR kind = 'SOCIAL_GROUP');
