-- The work summary's targets (下半年工作安排): what is planned, by when, who owns it. Progress is
-- never stored; the report counts it from the departments' figures. Seeded with the county's
-- 2023 targets of the half-year report's section 二.
CREATE TABLE targets (
  target_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  department text NOT NULL CHECK (department IN ('assistance', 'eldercare', 'childwelfare',
                                                 'governance', 'affairs', 'socialorg')),
  measure text NOT NULL CHECK (measure ~ '^[a-z0-9_.]{1,64}$'),
  description text NOT NULL CHECK (description <> ''),
  unit text NOT NULL CHECK (unit <> ''),
  planned bigint NOT NULL CHECK (planned > 0),
  due_date date NOT NULL,
  owner text NOT NULL CHECK (owner <> ''),
  region_prefix text NOT NULL CHECK (region_prefix ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX targets_by_region ON targets (region_prefix, department, due_date);

INSERT INTO targets (department, measure, description, unit, planned, due_date, owner,
                     region_prefix, created_by, updated_by) VALUES
  ('assistance', 'mutual_aid.village_coverage_percent',
   '推进村(社区)“救急难”互助社设立工作,确保村(社区)“救急难”互助社100%覆盖', '%', 100,
   '2023-12-31', '社会救助股', '340722', 'seed', 'seed'),
  ('eldercare', 'facilities.stations_built', '完成22个村(居)级养老服务站建设任务', '个', 22,
   '2023-12-31', '养老服务股', '340722', 'seed', 'seed'),
  ('eldercare', 'facilities.canteens_built', '建成城乡老年食堂(助餐点)26个', '个', 26,
   '2023-12-31', '养老服务股', '340722', 'seed', 'seed'),
  ('eldercare', 'home_adaptations.completed', '完成特殊困难老年人家庭实施适老化、智慧化改造271户',
   '户', 271, '2023-12-31', '养老服务股', '340722', 'seed', 'seed'),
  ('eldercare', 'family_care_beds.built', '建成家庭养老床位20张', '张', 20, '2023-12-31',
   '养老服务股', '340722', 'seed', 'seed'),
  ('eldercare', 'institutions.township_built', '建成具备综合功能的乡镇养老服务机构3家', '家', 3,
   '2023-12-31', '养老服务股', '340722', 'seed', 'seed'),
  ('eldercare', 'institutions.smart_built', '建成智慧养老机构1家', '家', 1, '2023-12-31',
   '养老服务股', '340722', 'seed', 'seed'),
  ('eldercare', 'institutional_care.low_income_elderly', '为全县24名低保老年人提供机构托养服务',
   '人', 24, '2023-12-31', '养老服务股', '340722', 'seed', 'seed'),
  ('affairs', 'cemetery_projects.started', '督促县经开区公墓、钱铺镇公墓改扩建项目7月份动工', '个',
   6, '2023-07-31', '社会事务股', '340722', 'seed', 'seed'),
  ('affairs', 'cemetery_projects.completed',
   '县经开区公墓、钱铺镇公墓改扩建项目争取9月底完工,全县6个乡镇级公墓改扩建项目完工', '个', 6,
   '2023-09-30', '社会事务股', '340722', 'seed', 'seed');
