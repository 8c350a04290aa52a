# R baseline of test/bench/links.sh: glm(family = poisson) with origin and destination factors on
# the benchmark's region pairs (CSV o,d,dist,flow on stdin path argv[1]); prints the time and the
# distance coefficient.
args <- commandArgs(trailingOnly = TRUE)
p <- read.csv(args[1])
p$o <- factor(p$o)
p$d <- factor(p$d)
t <- system.time(m <- glm(flow ~ o + d + log(dist), family = poisson, data = p))
cat(sprintf("R_SECONDS %.3f\nR_BETA %.17g\nR_ITER %d\n", t[["elapsed"]], coef(m)[["log(dist)"]], m$iter))
