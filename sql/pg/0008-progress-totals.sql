-- 0008: progress_totals, a maintained aggregate of progress per task
-- (kept exact by the progress import, store_write_progress, in the same
-- transaction), and progress_by_day, a covering index so the schedule
-- reads only the rows of recent days (store-schedule.c).
--   inexact: rows whose quantity is not a whole number in [0, 1e9); a
--     task with none sums exactly in any order and its running total
--     only grows, so the schedule may start from the total;
--   finish_day: the first day the running total reached finish_qty (the
--     task's quantity when it was computed), NULL if never.
CREATE TABLE progress_totals (
	task_id	BIGINT PRIMARY KEY REFERENCES tasks (id),
	total	DOUBLE PRECISION NOT NULL,
	first_day BIGINT,
	last_day BIGINT,
	rows	BIGINT,
	inexact	BIGINT NOT NULL DEFAULT 0,
	finish_day BIGINT,
	finish_qty DOUBLE PRECISION
);
INSERT INTO progress_totals (task_id, total, first_day, last_day, rows,
    inexact)
SELECT task_id, SUM(quantity), MIN(day), MAX(day), COUNT(*),
    SUM(CASE WHEN quantity = ROUND(quantity) AND quantity >= 0 AND
        quantity < 1e9 THEN 0 ELSE 1 END)
FROM progress GROUP BY task_id;
UPDATE progress_totals SET
    finish_qty = (SELECT quantity FROM tasks WHERE id = task_id),
    finish_day = (SELECT MIN(day) FROM (SELECT p.day AS day,
        SUM(p.quantity) OVER (ORDER BY p.day) AS c FROM progress p
        WHERE p.task_id = progress_totals.task_id) x
        WHERE x.c >= (SELECT quantity FROM tasks
        WHERE id = progress_totals.task_id));
CREATE INDEX progress_by_day ON progress (day, task_id, quantity);
