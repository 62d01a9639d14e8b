-- Person lists of the statistics (人员明细, lib/stats/persons.ts) at a million persons: a region's
-- list is read in (statistics region, ID number) order, an index range that stops after a page; a
-- name search is a range of the name's beginning. Built on every run's partition when it is attached.
CREATE INDEX comparison_result_run_id_count_region_code_id_number_idx ON comparison_result (run_id, count_region_code, id_number);
CREATE INDEX comparison_result_run_id_name_idx ON comparison_result (run_id, name);
