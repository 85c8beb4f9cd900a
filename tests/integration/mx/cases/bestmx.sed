# sendmail orders MX hosts of one preference at random: only the set counts
s/e[123]\.equal\.test\. \[127\.0\.0\.[234]\]/eN.equal.test. [127.0.0.N]/
s/e[123]\.equal\.test\./eN.equal.test./g
