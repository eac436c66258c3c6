"""The simulated `mltable` package: MLTable folders and data assets as pandas DataFrames, offline.

The real `mltable` needs azureml-dataprep's native engine; this one reads with the simulator's data engine (the
one behind SDK v1 datasets). After `sim.activate()`, `import mltable` resolves here (a real `mltable`, if
installed, is untouched otherwise). Supported: `load`, `from_delimited_files`, `from_parquet_files`,
`from_json_lines_files`, and on an `MLTable`: `to_pandas_dataframe`, `show`, `take`, `skip`, `keep_columns`,
`drop_columns`, `paths`, `save`. The rest raises NotImplementedError saying it is not simulated.
"""

from sim.mltable.mltable import (
    MLTable,
    MLTableFileEncoding,
    MLTableHeaders,
    UserErrorException,
    from_delimited_files,
    from_delta_lake,
    from_json_lines_files,
    from_parquet_files,
    load,
)

__all__ = ["MLTable", "MLTableFileEncoding", "MLTableHeaders", "UserErrorException", "from_delimited_files",
           "from_delta_lake", "from_json_lines_files", "from_parquet_files", "load"]
