import os
import sys

# The generator's one matrix product (index._RelatedScores) runs in a helper process beside the rest
# of the build, on the other core: OpenBLAS's own threads there only took CPU from this process
# (index and pages' keys at 10,000 briefings, 1.8 s with them, 1.4 s without). numpy reads
# this when it is imported, so before anything of the generator is.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from generator.cli import main  # noqa: E402

sys.exit(main())
