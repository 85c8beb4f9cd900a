# which entries a limited run takes is not compared (see the case)
s/QID[0-9][0-9]*/QIDn/g
s/u[0-9]@plain/uN@plain/g
