"""Reports rendered from results documents only: the run report and the comparison of runs."""
