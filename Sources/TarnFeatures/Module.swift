// TarnFeatures module overview: see ../../docs and ../shared/DESIGN.md for the layer this target is.
// This file only names the module; the code lives in the files next to it.
