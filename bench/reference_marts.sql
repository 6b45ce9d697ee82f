-- The reference of bench/bench_national.py: the public marts of ../shared/contracts/marts.md
-- computed with plain DuckDB SQL in one process, straight from the raw CSV text.
-- No orchestration, no validation, no pseudonymisation, no tests: the fastest honest way to do
-- the same work on this machine. bench/reference_marts.py loads the inbox into raw_<source>
-- tables (all text, one per source, read_csv over the folder) and the seeds into ref_<name>,
-- then runs this file.

-- helpers ------------------------------------------------------------------------------------
CREATE MACRO uk_date(s) AS try_strptime(split_part(trim(s), ' ', 1), '%d/%m/%Y')::DATE;
CREATE MACRO flag(s) AS CASE
    WHEN lower(trim(s)) IN ('y', 'yes', 'true', '1') THEN true
    WHEN lower(trim(s)) IN ('n', 'no', 'false', '0') THEN false END;
CREATE MACRO txt(s) AS nullif(trim(s), '');
CREATE MACRO fy_start(d) AS year(d) - CASE WHEN month(d) < 4 THEN 1 ELSE 0 END;
CREATE MACRO financial_year(d) AS
    fy_start(d)::VARCHAR || '-' || lpad(((fy_start(d) + 1) % 100)::VARCHAR, 2, '0');
CREATE MACRO financial_quarter(d) AS 'Q' || ((month(d) + 8) % 12 // 3 + 1)::VARCHAR;
CREATE MACRO pct(n, d) AS CASE WHEN d > 0 THEN round((100.0 * n / d)::DECIMAL(18, 6), 1) END;
-- file period from the name (monthly files; quarterly needs files are never resent)
CREATE MACRO file_period(f) AS regexp_extract(f, '(\d{4}-\d{2})(-\d{2}_Q\d)?\.csv$', 1);
CREATE MACRO canonical_code(s) AS upper(ltrim(trim(s), '0'));

-- latest version of each record (resends: latest file period wins) ---------------------------
CREATE TABLE crimes AS
SELECT * EXCLUDE (rn) FROM (
    SELECT txt(crime_ref) AS crime_ref, uk_date(recorded_date) AS recorded_date,
        uk_date(offence_date) AS offence_date, canonical_code(ho_offence_code) AS offence_code,
        txt(local_authority) AS local_authority, flag(is_domestic_abuse) AS is_domestic_abuse,
        flag(is_hate_crime) AS is_hate_crime, flag(is_cyber) AS is_cyber, flag(is_cse) AS is_cse,
        txt(outcome_type) AS outcome_type, txt(status) AS status,
        txt(suspect_person_id) AS suspect_person_id,
        row_number() OVER (PARTITION BY txt(crime_ref) ORDER BY file_period(filename) DESC) AS rn
    FROM raw_police_crimes
) WHERE rn = 1;

CREATE TABLE trials AS
SELECT * EXCLUDE (rn) FROM (
    SELECT txt(listing_id) AS listing_id, txt(court_code) AS court_code,
        txt(jurisdiction) AS jurisdiction, uk_date(listing_date) AS listing_date,
        txt(trial_outcome) AS trial_outcome, txt(reason_code) AS reason_code,
        row_number() OVER (PARTITION BY txt(listing_id) ORDER BY file_period(filename) DESC) AS rn
    FROM raw_court_trials
) WHERE rn = 1;

CREATE TABLE disposals AS
SELECT * EXCLUDE (rn) FROM (
    SELECT txt(disposal_id) AS disposal_id, txt(person_id) AS person_id,
        coalesce(nullif(txt(sex), 'U'), 'U') AS sex, uk_date(disposal_date) AS disposal_date,
        txt(disposal_type) AS disposal_type, flag(intervention_referred) AS intervention_referred,
        txt(intervention_outcome) AS intervention_outcome,
        row_number() OVER (PARTITION BY txt(disposal_id) ORDER BY file_period(filename) DESC) AS rn
    FROM raw_oocr
) WHERE rn = 1;

CREATE TABLE nominals AS
SELECT * EXCLUDE (rn) FROM (
    SELECT txt(person_id) AS person_id, txt(cohort) AS cohort, txt(area) AS area,
        uk_date(adoption_date) AS adoption_date, uk_date(deselection_date) AS deselection_date,
        row_number() OVER (
            PARTITION BY txt(person_id), uk_date(adoption_date) ORDER BY file_period(filename) DESC
        ) AS rn
    FROM raw_iom_cohort
) WHERE rn = 1;

CREATE TABLE assessments AS
SELECT txt(assessment_id) AS assessment_id, txt(person_id) AS person_id,
    uk_date(assessment_date) AS assessment_date,
    txt(index_offence_category) AS index_offence_category,
    COLUMNS('previous_conviction|problematic_.*|disability|mental_health|domestic_abuse|self_harm.*|sexual_trauma|neurodivergent|sex_work|.*_concern')
FROM raw_fjsb_needs;

-- marts.crime_summary ------------------------------------------------------------------------
CREATE TABLE crime_summary AS
SELECT 'police_crimes' AS source, date_trunc('month', c.recorded_date)::DATE AS month_start,
    financial_year(c.recorded_date) AS financial_year,
    financial_quarter(c.recorded_date) AS financial_quarter, c.local_authority,
    o.offence_group, o.offence_subgroup, count(*) AS crimes,
    count(*) FILTER (WHERE p.outcome_type IS NOT NULL) AS positive_outcomes,
    count(*) FILTER (WHERE p.is_charge_summons) AS charge_summons,
    count(*) FILTER (WHERE c.is_domestic_abuse) AS domestic_abuse_crimes,
    count(*) FILTER (WHERE c.is_hate_crime) AS hate_crimes,
    count(*) FILTER (WHERE c.outcome_type IS NULL) AS outcome_pending
FROM crimes c
LEFT JOIN (SELECT DISTINCT canonical_code(offence_code) AS code, offence_group, offence_subgroup
           FROM ref_ho_offence_codes) o ON o.code = c.offence_code
LEFT JOIN ref_positive_outcome_types p ON p.outcome_type = c.outcome_type
WHERE c.status = 'recorded'
GROUP BY ALL
UNION ALL
SELECT 'police_uk', strptime(s.month, '%Y-%m')::DATE, financial_year(strptime(s.month, '%Y-%m')),
    financial_quarter(strptime(s.month, '%Y-%m')), g.lad19nm, k.maps_to_ons_offence_group, NULL,
    count(*), NULL, NULL, NULL, NULL, NULL
FROM raw_police_uk_street s
LEFT JOIN ref_geo_lsoa11_ward19_lad19 g ON g.lsoa11cd = s.lsoa_code
LEFT JOIN ref_police_uk_crime_categories k ON k.csv_crime_type = s.crime_type
GROUP BY ALL;

-- marts.trial_effectiveness ------------------------------------------------------------------
CREATE TABLE trial_reasons_attributed AS
SELECT t.*, r.attributed_to, r.reason
FROM trials t LEFT JOIN ref_trial_reasons r ON r.outcome = t.trial_outcome AND r.code = t.reason_code;

CREATE TABLE trial_effectiveness AS
WITH m AS (
    SELECT date_trunc('month', listing_date)::DATE AS month_start, court_code, jurisdiction,
        count(*) FILTER (WHERE trial_outcome <> 'vacated') AS trials_listed,
        count(*) FILTER (WHERE trial_outcome = 'effective') AS effective,
        count(*) FILTER (WHERE trial_outcome = 'cracked') AS cracked,
        count(*) FILTER (WHERE trial_outcome = 'ineffective') AS ineffective,
        count(*) FILTER (WHERE trial_outcome = 'vacated') AS vacated,
        count(*) FILTER (WHERE trial_outcome = 'cracked' AND attributed_to = 'prosecution') AS cracked_prosecution,
        count(*) FILTER (WHERE trial_outcome = 'cracked' AND attributed_to = 'defence') AS cracked_defence,
        count(*) FILTER (WHERE trial_outcome = 'ineffective' AND attributed_to = 'prosecution') AS ineffective_prosecution,
        count(*) FILTER (WHERE trial_outcome = 'ineffective' AND attributed_to = 'defence') AS ineffective_defence,
        count(*) FILTER (WHERE trial_outcome = 'ineffective' AND attributed_to = 'court') AS ineffective_court,
        count(*) FILTER (WHERE trial_outcome = 'ineffective' AND attributed_to = 'other') AS ineffective_other
    FROM trial_reasons_attributed GROUP BY ALL
)
SELECT m.month_start, financial_year(m.month_start) AS financial_year,
    financial_quarter(m.month_start) AS financial_quarter, m.court_code, c.court_name_full AS court_name,
    m.jurisdiction, trials_listed, effective, cracked, ineffective, vacated, cracked_prosecution,
    cracked_defence, ineffective_prosecution, ineffective_defence, ineffective_court,
    ineffective_other, cracked_prosecution + ineffective_prosecution AS cracked_ineffective_prosecution,
    pct(effective, trials_listed) AS pct_effective, pct(cracked, trials_listed) AS pct_cracked,
    pct(ineffective, trials_listed) AS pct_ineffective,
    pct(cracked_prosecution + ineffective_prosecution, trials_listed) AS pct_cracked_ineffective_prosecution
FROM m LEFT JOIN (
    SELECT 'magistrates' AS jurisdiction, id::VARCHAR AS id, court_name_full FROM ref_courts_magistrates
    UNION ALL SELECT 'crown', id::VARCHAR, court_name_full FROM ref_courts_crown
) c ON c.jurisdiction = m.jurisdiction AND c.id = m.court_code;

-- marts.trial_outcome_reasons ----------------------------------------------------------------
CREATE TABLE trial_outcome_reasons AS
WITH q AS (
    SELECT financial_year(listing_date) AS financial_year,
        financial_quarter(listing_date) AS financial_quarter, jurisdiction, trial_outcome,
        reason_code, reason, attributed_to
    FROM trial_reasons_attributed
), listed AS (
    SELECT financial_year, financial_quarter, jurisdiction,
        count(*) FILTER (WHERE trial_outcome <> 'vacated') AS trials_listed
    FROM q GROUP BY ALL
)
SELECT q.financial_year, q.financial_quarter, q.jurisdiction, q.trial_outcome, q.reason_code,
    q.reason, q.attributed_to, count(*) AS trials, pct(count(*), any_value(l.trials_listed)) AS pct_of_trials_listed
FROM q JOIN listed l USING (financial_year, financial_quarter, jurisdiction)
WHERE q.trial_outcome IN ('cracked', 'ineffective')
GROUP BY q.financial_year, q.financial_quarter, q.jurisdiction, q.trial_outcome, q.reason_code,
    q.reason, q.attributed_to;

-- marts.oocr_summary -------------------------------------------------------------------------
CREATE TABLE oocr_summary AS
WITH d AS (
    SELECT *, financial_year(disposal_date) AS financial_year,
        count(*) OVER (PARTITION BY person_id, financial_year(disposal_date)) AS disposals_in_year
    FROM disposals
)
SELECT financial_year, sex, disposal_type, count(*) AS disposals,
    count(DISTINCT person_id) AS people,
    count(DISTINCT person_id) FILTER (WHERE disposals_in_year >= 2) AS repeat_people,
    count(*) FILTER (WHERE intervention_referred) AS interventions_referred,
    count(*) FILTER (WHERE intervention_outcome = 'completed') AS interventions_completed,
    count(*) FILTER (WHERE intervention_outcome = 'not_completed') AS interventions_not_completed,
    count(*) FILTER (WHERE intervention_outcome = 'in_progress') AS interventions_in_progress,
    pct(count(*) FILTER (WHERE intervention_outcome = 'completed'),
        count(*) FILTER (WHERE intervention_outcome IN ('completed', 'not_completed'))) AS completion_rate_pct
FROM d GROUP BY ALL;

-- marts.fjsb_needs_prevalence and marts.fjsb_offence_profile ---------------------------------
CREATE TABLE latest_assessment AS
SELECT * EXCLUDE (rn) FROM (
    SELECT *, financial_year(assessment_date) AS financial_year,
        row_number() OVER (PARTITION BY person_id, financial_year(assessment_date)
                           ORDER BY assessment_date DESC, assessment_id DESC) AS rn
    FROM assessments
) WHERE rn = 1;

CREATE TABLE fjsb_needs_prevalence AS
WITH answers AS (
    UNPIVOT (SELECT financial_year, person_id, COLUMNS(* EXCLUDE (financial_year, person_id,
                 assessment_id, assessment_date, index_offence_category)) FROM latest_assessment)
    ON COLUMNS(* EXCLUDE (financial_year, person_id)) INTO NAME need VALUE answer
)
SELECT financial_year, need, count(DISTINCT person_id) AS women_assessed,
    count(*) FILTER (WHERE flag(answer)) AS yes, count(*) FILTER (WHERE NOT flag(answer)) AS no,
    count(*) FILTER (WHERE flag(answer) IS NULL) AS unknown,
    pct(count(*) FILTER (WHERE flag(answer)), count(*) FILTER (WHERE flag(answer) IS NOT NULL)) AS prevalence_pct
FROM answers GROUP BY ALL;

CREATE TABLE fjsb_offence_profile AS
SELECT financial_year, index_offence_category, women,
    pct(women, sum(women) OVER (PARTITION BY financial_year)) AS pct_of_women
FROM (SELECT financial_year, index_offence_category, count(*) AS women
      FROM latest_assessment GROUP BY ALL);

-- marts.iom_outcomes -------------------------------------------------------------------------
CREATE TABLE iom_outcomes AS
WITH offences AS (
    SELECT c.suspect_person_id AS person_id, coalesce(c.offence_date, c.recorded_date) AS offence_on,
        u.unit_cost_gbp AS cost
    FROM crimes c
    LEFT JOIN (SELECT DISTINCT canonical_code(offence_code) AS code, offence_group, offence_subgroup
               FROM ref_ho_offence_codes) o ON o.code = c.offence_code
    LEFT JOIN ref_offence_unit_costs u USING (offence_group, offence_subgroup)
    WHERE c.status = 'recorded' AND c.suspect_person_id IS NOT NULL
), n AS (
    SELECT *, deselection_date IS NOT NULL
        AND deselection_date + INTERVAL 6 MONTH <= (SELECT max(recorded_date) FROM crimes) AS full_post
    FROM nominals
), per_nominal AS (
    SELECT n.cohort, n.area, n.person_id, n.adoption_date, any_value(n.full_post) AS full_post,
        count(o.offence_on) FILTER (WHERE o.offence_on >= n.adoption_date - INTERVAL 6 MONTH
                                    AND o.offence_on < n.adoption_date) AS pre,
        count(o.offence_on) FILTER (WHERE o.offence_on >= n.adoption_date
                                    AND (n.deselection_date IS NULL OR o.offence_on <= n.deselection_date)) AS during,
        count(o.offence_on) FILTER (WHERE n.full_post AND o.offence_on > n.deselection_date
                                    AND o.offence_on <= n.deselection_date + INTERVAL 6 MONTH) AS post,
        sum(o.cost) FILTER (WHERE o.offence_on >= n.adoption_date - INTERVAL 6 MONTH
                            AND o.offence_on < n.adoption_date) AS cost_pre,
        sum(o.cost) FILTER (WHERE n.full_post AND o.offence_on > n.deselection_date
                            AND o.offence_on <= n.deselection_date + INTERVAL 6 MONTH) AS cost_post
    FROM n LEFT JOIN offences o ON o.person_id = n.person_id
    GROUP BY n.cohort, n.area, n.person_id, n.adoption_date
)
SELECT cohort, area, count(*) AS nominals, count(*) FILTER (WHERE full_post) AS nominals_with_full_post_window,
    sum(pre) AS offences_pre, sum(during) AS offences_during, sum(post) AS offences_post,
    pct(count(*) FILTER (WHERE pre > 0), count(*)) AS reoffending_rate_pre_pct,
    pct(count(*) FILTER (WHERE full_post AND post > 0), count(*) FILTER (WHERE full_post)) AS reoffending_rate_post_pct,
    pct(count(*) FILTER (WHERE full_post AND post = 0), count(*) FILTER (WHERE full_post)) AS desistance_rate_post_pct,
    coalesce(sum(cost_pre), 0) AS cost_of_offending_pre, coalesce(sum(cost_post), 0) AS cost_of_offending_post
FROM per_nominal GROUP BY ALL;

-- marts.wcjb_scorecard -----------------------------------------------------------------------
CREATE TABLE quarter_measures AS
WITH crime_q AS (
    SELECT date_trunc('quarter', month_start)::DATE AS period_start, sum(crimes) AS crimes,
        sum(positive_outcomes) AS positive, sum(charge_summons) AS charged,
        sum(domestic_abuse_crimes) AS da, sum(hate_crimes) AS hate
    FROM crime_summary WHERE source = 'police_crimes' GROUP BY ALL
), crime_flags AS (
    SELECT date_trunc('quarter', recorded_date)::DATE AS period_start,
        count(*) FILTER (WHERE is_cyber) AS cyber, count(*) FILTER (WHERE is_cse) AS cse
    FROM crimes WHERE status = 'recorded' GROUP BY ALL
), public_q AS (
    SELECT date_trunc('quarter', strptime(month, '%Y-%m'))::DATE AS period_start,
        count(*) FILTER (WHERE crime_type <> 'Anti-social behaviour') AS public_crimes,
        count(*) FILTER (WHERE crime_type = 'Anti-social behaviour') AS asb
    FROM raw_police_uk_street GROUP BY ALL
), trial_q AS (
    SELECT date_trunc('quarter', month_start)::DATE AS period_start, sum(trials_listed) AS listed,
        sum(effective) AS effective, sum(cracked) AS cracked, sum(ineffective) AS ineffective,
        sum(cracked_ineffective_prosecution) AS prosecution
    FROM trial_effectiveness GROUP BY ALL
), oocr_q AS (
    SELECT date_trunc('quarter', disposal_date)::DATE AS period_start, count(*) AS disposals,
        count(*) FILTER (WHERE intervention_outcome = 'completed') AS completed,
        count(*) FILTER (WHERE intervention_outcome IN ('completed', 'not_completed')) AS ended
    FROM disposals GROUP BY ALL
), quarters AS (
    SELECT DISTINCT date_trunc('quarter', d)::DATE AS period_start
    FROM (SELECT recorded_date AS d FROM crimes UNION ALL SELECT listing_date FROM trials
          UNION ALL SELECT disposal_date FROM disposals)
    WHERE d IS NOT NULL
), iom_q AS (
    SELECT q.period_start, count(*) AS nominals
    FROM quarters q JOIN nominals n
      ON n.adoption_date <= q.period_start + INTERVAL 3 MONTH - INTERVAL 1 DAY
     AND (n.deselection_date IS NULL OR n.deselection_date >= q.period_start)
    GROUP BY ALL
)
SELECT * FROM (
    SELECT 'crime_volume' AS measure_code, period_start, crimes AS numerator, NULL::DOUBLE AS denominator FROM crime_q
    UNION ALL SELECT 'domestic_abuse_crime_volume', period_start, da, NULL FROM crime_q
    UNION ALL SELECT 'hate_crime_volume', period_start, hate, NULL FROM crime_q
    UNION ALL SELECT 'positive_outcome_ratio', period_start, positive, crimes FROM crime_q
    UNION ALL SELECT 'charge_summons_rate', period_start, charged, crimes FROM crime_q
    UNION ALL SELECT 'cyber_crime_volume', period_start, cyber, NULL FROM crime_flags
    UNION ALL SELECT 'cse_crime_volume', period_start, cse, NULL FROM crime_flags
    UNION ALL SELECT 'public_crime_volume', period_start, public_crimes, NULL FROM public_q
    UNION ALL SELECT 'asb_volume', period_start, asb, NULL FROM public_q
    UNION ALL SELECT 'trials_listed', period_start, listed, NULL FROM trial_q
    UNION ALL SELECT 'effective_trial_rate', period_start, effective, listed FROM trial_q
    UNION ALL SELECT 'cracked_trial_rate', period_start, cracked, listed FROM trial_q
    UNION ALL SELECT 'ineffective_trial_rate', period_start, ineffective, listed FROM trial_q
    UNION ALL SELECT 'pct_cracked_ineffective_prosecution', period_start, prosecution, listed FROM trial_q
    UNION ALL SELECT 'oocr_volume', period_start, disposals, NULL FROM oocr_q
    UNION ALL SELECT 'oocr_intervention_completion_rate', period_start, completed, ended FROM oocr_q
    UNION ALL SELECT 'iom_cohort_size', period_start, nominals, NULL FROM iom_q
);

CREATE TABLE partner_quarter AS
SELECT * EXCLUDE (rn) FROM (
    SELECT txt(p.measure_code) AS measure_code, uk_date(p.period_start) AS period_start,
        try_cast(txt(p._value) AS DOUBLE) AS value  -- normalize_names: value -> _value
       , try_cast(txt(p.numerator) AS DOUBLE) AS numerator,
        try_cast(txt(p.denominator) AS DOUBLE) AS denominator, txt(p.source_agency) AS source_agency,
        row_number() OVER (PARTITION BY txt(p.measure_code), uk_date(p.period_start), uk_date(p.period_end)
                           ORDER BY file_period(p.filename) DESC) AS rn
    FROM raw_partner_measures p
    WHERE uk_date(p.period_start) = date_trunc('quarter', uk_date(p.period_start))
      AND uk_date(p.period_end) = date_trunc('quarter', uk_date(p.period_start)) + INTERVAL 3 MONTH - INTERVAL 1 DAY
) WHERE rn = 1;

CREATE TABLE wcjb_scorecard AS
WITH v AS (
    SELECT measure_code, period_start, numerator, denominator,
        CASE WHEN denominator IS NULL THEN numerator ELSE pct(numerator, denominator) END AS value,
        'warehouse' AS source
    FROM quarter_measures
    UNION ALL
    SELECT measure_code, period_start, numerator, denominator, value, source_agency FROM partner_quarter
), w AS (
    SELECT v.*, datediff('month', DATE '2000-01-01', period_start) // 3 AS q_index,
        lag(value) OVER (PARTITION BY measure_code ORDER BY period_start) AS previous_value,
        lag(period_start) OVER (PARTITION BY measure_code ORDER BY period_start) AS previous_start
    FROM v
), r AS (
    SELECT w.*,
        (SELECT count(*) FROM w w2 WHERE w2.measure_code = w.measure_code
            AND w2.q_index BETWEEN w.q_index - 3 AND w.q_index) AS quarters_in_12m,
        (SELECT CASE WHEN any_value(w2.denominator) IS NULL AND bool_and(w2.denominator IS NULL)
                     THEN CASE WHEN any_value(u.unit) = 'percent' THEN NULL ELSE sum(w2.numerator) END
                     ELSE pct(sum(w2.numerator), sum(w2.denominator)) END
           FROM w w2 LEFT JOIN ref_scorecard_measures u ON u.measure_code = w2.measure_code
           WHERE w2.measure_code = w.measure_code AND w2.q_index BETWEEN w.q_index - 3 AND w.q_index) AS r12
    FROM w
), s AS (
    SELECT r.*, CASE WHEN quarters_in_12m = 4 THEN r12 END AS rolling_12m_value,
        (SELECT r2.value FROM r r2 WHERE r2.measure_code = r.measure_code AND r2.q_index = r.q_index - 4) AS same_quarter_last_year_value
    FROM r
), t AS (
    SELECT s.*, (SELECT s2.rolling_12m_value FROM s s2 WHERE s2.measure_code = s.measure_code
                 AND s2.q_index = s.q_index - 4) AS rolling_12m_last_year_value
    FROM s
)
SELECT t.measure_code, m.measure_name, m.priority,
    financial_year(t.period_start) || ' ' || financial_quarter(t.period_start) AS period_label,
    t.period_start, (t.period_start + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS period_end,
    t.value, t.numerator, t.denominator, m.unit,
    CASE WHEN t.previous_start = t.period_start - INTERVAL 3 MONTH THEN t.previous_value END AS previous_quarter_value,
    t.same_quarter_last_year_value, t.rolling_12m_value, t.rolling_12m_last_year_value,
    pct(t.value - t.same_quarter_last_year_value, t.same_quarter_last_year_value) AS change_vs_last_year_pct,
    m.target, m.polarity,
    CASE WHEN m.target IS NULL OR t.value IS NULL THEN NULL
         WHEN (m.polarity = 'lower_is_better' AND t.value <= m.target)
           OR (m.polarity <> 'lower_is_better' AND t.value >= m.target) THEN 'green'
         WHEN abs(t.value - m.target) <= coalesce(m.amber_tolerance, 0) THEN 'amber'
         ELSE 'red' END AS rag_status,
    CASE WHEN t.rolling_12m_value IS NULL OR t.rolling_12m_last_year_value IS NULL OR m.polarity IS NULL THEN NULL
         WHEN t.rolling_12m_value = t.rolling_12m_last_year_value THEN 'stable'
         WHEN (t.rolling_12m_value < t.rolling_12m_last_year_value) = (m.polarity = 'lower_is_better') THEN 'improving'
         ELSE 'worsening' END AS trend,
    t.source
FROM t LEFT JOIN ref_scorecard_measures m USING (measure_code);
