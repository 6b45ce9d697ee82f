{#- The resend rule of the extract contract: for every record key the version from the latest
    file period wins; ties go to the file landed last (then, deterministically, the highest row
    number). Returns a subquery of the rows of `relation` that stand, every column kept.
    `where`, when given, is a condition on the relation's (unqualified) columns that limits the
    versions ranked, hence the rows returned (the incremental refresh passes "keys that new
    files carry").

    The window runs over a narrow projection (key, ordering and row identity columns) and the
    standing rows are joined back by their identity, which keeps wide rows out of the window's
    sort. The identity is dispatched: DuckDB's `rowid` (one BIGINT; at national scale, 10M
    crimes under a 1 GB memory limit, about 2.5x faster than joining on file hash and row
    number), and file hash + row number elsewhere (portable: row_number() in a subquery, no
    QUALIFY) and wherever `relation` is not a stored table (a unit test's fixture).

    On DuckDB the last tie-break, the file hash, is ranked through the file's position among
    the relation's distinct hashes (a BIGINT; a few dozen files) instead of the 64-character
    hash itself: the same order, but every sort key is fixed-width, which makes the window's
    sort about a third cheaper (10M crimes: 10.2-10.8 s against 13.8-14.7 s). -#}
{% macro latest_version(relation, key_columns, where=none) -%}
    {{ return(adapter.dispatch('latest_version', 'cjb')(relation, key_columns, where)) }}
{%- endmacro %}

{#- Every version of `relation` (limited by `where`) with `columns` (its row identity) and
    `version_rank`: 1 for the version that stands for its key. Both implementations below rank
    with it, so the rule is written once. -#}
{#- `file_order` is the last tie-break, an expression in the file hash's order (the hash
    itself by default); `joins`, anything it needs joined to `relation`. -#}
{% macro latest_version_ranked(
    relation, key_columns, columns, where=none, file_order='_file_sha256', joins=''
) -%}
    select
        {% for column in columns -%}
            {{ column }},
        {% endfor -%}
        row_number() over (
            partition by {{ key_columns | join(', ') }}
            order by
                _period_start desc nulls last,
                _landed_at desc nulls last,
                _row_number desc nulls last,
                {{ file_order }} desc nulls last
        ) as version_rank
    from {{ relation }}
    {{- joins }}
    {%- if where %}
        where {{ where }}
    {%- endif %}
{%- endmacro %}

{% macro default__latest_version(relation, key_columns, where=none) -%}
    (
        select versions.*
        from {{ relation }} as versions
        inner join (
            select
                {% for key in key_columns -%}
                    ranked.{{ key }},
                {% endfor -%}
                ranked._file_sha256,
                ranked._row_number
            from (
                {{ cjb.latest_version_ranked(
                    relation, key_columns, key_columns + ['_file_sha256', '_row_number'], where
                ) }}
            ) as ranked
            where ranked.version_rank = 1
        ) as standing
            on
                {% for key in key_columns -%}
                    versions.{{ key }} = standing.{{ key }} and
                {% endfor -%}
                versions._file_sha256 = standing._file_sha256
                and versions._row_number = standing._row_number
    )
{%- endmacro %}

{% macro duckdb__latest_version(relation, key_columns, where=none) -%}
    {%- if relation is string or (relation.identifier or '').startswith('__dbt__cte__') -%}
        {{ return(cjb.default__latest_version(relation, key_columns, where)) }}
    {%- endif -%}
    (
        select versions.*
        from {{ relation }} as versions
        inner join (
            select ranked.version_rowid
            from (
                {%- set file_ranks -%}
                    {# a NULL hash has no rank: NULL, last, as the hash itself would sort #}
                    left join (
                        select
                            files._file_sha256 as ranked_file_sha256,
                            cast(row_number() over (order by files._file_sha256) as bigint) as file_rank
                        from (
                            select distinct _file_sha256 from {{ relation }} where _file_sha256 is not null
                        ) as files
                    ) as file_ranks
                        on {{ relation }}._file_sha256 = file_ranks.ranked_file_sha256
                {%- endset %}
                {{ cjb.latest_version_ranked(
                    relation, key_columns, [relation ~ '.rowid as version_rowid'], where,
                    file_order='file_ranks.file_rank', joins=file_ranks
                ) }}
            ) as ranked
            where ranked.version_rank = 1
        ) as standing
            on versions.rowid = standing.version_rowid
    )
{%- endmacro %}

{#- File-level resend rule for public police_uk files: a re-delivered file for the same
    partition (e.g. force and month) replaces the earlier one as a whole. Every row of the
    winning file gets `_file_rank` = 1 (dense_rank over the file's period, landing time and
    hash). -#}
{% macro latest_file(relation, partition_columns) -%}
    (
        select
            deliveries.*,
            dense_rank() over (
                partition by {{ partition_columns | join(', ') }}
                order by
                    deliveries._period_start desc nulls last,
                    deliveries._landed_at desc nulls last,
                    deliveries._file_sha256 desc nulls last
            ) as _file_rank
        from {{ relation }} as deliveries
    )
{%- endmacro %}
