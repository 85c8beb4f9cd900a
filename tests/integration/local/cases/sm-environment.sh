# The program's environment and working directory.
prog env 755 'env | LC_ALL=C sort; pwd'
cd /tmp
HOME=/root FOO=bar run smrsh -c 'env'
