"""Files the app reads at run time: history.csv and presets/*.forecast.json."""
