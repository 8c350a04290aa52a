# Peer of test/bench/points.sh: Ripley's K without edge correction by R spatstat (Debian
# r-cran-spatstat), on points exported from the benchmark's table.  Usage:
#   Rscript points_spatstat.R points.csv side rmax
# (CSV id,x,y; window [0, side]^2; radii seq(0, rmax, length.out = 21)).  Prints the 20 values
# of K at r > 0 on one line, then "seconds <t>": reading the CSV, building the ppp and Kest, after
# R and spatstat have loaded.
suppressMessages(library(spatstat))
args <- commandArgs(TRUE)
side <- as.numeric(args[2])
rmax <- as.numeric(args[3])
t0 <- proc.time()[["elapsed"]]
d <- read.csv(args[1], header = FALSE, colClasses = c("numeric", "numeric", "numeric"))
X <- ppp(d[[2]], d[[3]], window = owin(c(0, side), c(0, side)), check = FALSE)
K <- Kest(X, r = seq(0, rmax, length.out = 21), correction = "none")
t1 <- proc.time()[["elapsed"]]
cat(sprintf("%.17g", K$un[-1]), "\n")
cat("seconds", t1 - t0, "\n")
