-- HMCTS trial listings: the latest version of each listing_id, renamed and recoded. A blank
-- defendant_count means one defendant (the contract).
with latest as (
    select *
    from {{ cjb.latest_version(source('hmcts', 'court_trials'), ['listing_id']) }} as standing_versions
)

select
    {{ cjb.stg_columns_hmcts__trial_listings() }}
from latest
