-- Police out-of-court resolutions: the latest version of each disposal_id, renamed and
-- recoded (sex M / F / U, never null; enums lower case; offence code canonical).
with latest as (
    select *
    from {{ cjb.latest_version(source('police', 'oocr'), ['disposal_id']) }} as standing_versions
)

select
    {{ cjb.stg_columns_police__oocr_disposals() }}
from latest
