-- After run.sh copied summaries out and back in binary (summaries_bin) and text (summaries_txt).
SELECT count(*) = 10 AND bool_and(s.p::text = b.p::text AND vic.profile_send(s.p) = vic.profile_send(b.p)
								  AND s.g::text = b.g::text AND s.g OPERATOR(vic.=) b.g
								  AND vic.graph_send(s.g) = vic.graph_send(b.g)),
	   'COPY (FORMAT binary) out and in: profiles and graphs identical (text and send bytes)'
FROM summaries s FULL JOIN summaries_bin b USING (k);
SELECT count(*) = 10 AND bool_and(s.p::text = t.p::text AND vic.profile_send(s.p) = vic.profile_send(t.p)
								  AND s.g::text = t.g::text AND vic.graph_send(s.g) = vic.graph_send(t.g)),
	   'COPY (FORMAT text) out and in: profiles and graphs identical (text and send bytes)'
FROM summaries s FULL JOIN summaries_txt t USING (k);
SELECT (SELECT count(*) FROM summaries WHERE p IS NULL AND g IS NULL AND k = -1) = 1
	   AND (SELECT count(*) FROM summaries_bin WHERE p IS NULL AND g IS NULL AND k = -1) = 1,
	   'NULL summaries (empty input) survive the binary round trip as NULL';
