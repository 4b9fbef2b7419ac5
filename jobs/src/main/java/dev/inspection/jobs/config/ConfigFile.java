package dev.inspection.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.inspection.jobs.io.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A config file ({@code --config}, HOCON, from the local or any Hadoop filesystem) read as the flags that say the
 * same: one declaration per option serves both, and picocli checks both the same way.
 */
final class ConfigFile {

    private ConfigFile() {}

    /**
     * A config file's settings as the flags that say the same ({@code --key=value}), each key and shape checked: a
     * switch is true or false, a list option takes a list or one value, {@code conf} is an object of settings.
     */
    static String[] asFlags(String uri, Configuration hadoop, String file, CommandSpec spec) throws UsageException {
        String text;
        try {
            text = new String(Storage.readAll(uri, hadoop), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("--config " + uri + " cannot be read: " + e.getMessage(), e);
        }
        Config config;
        try {
            config = ConfigFactory.parseString(
                            text,
                            ConfigParseOptions.defaults()
                                    .setSyntax(ConfigSyntax.CONF)
                                    .setOriginDescription(uri))
                    .resolve();
        } catch (ConfigException e) {
            throw new UsageException("--config " + uri + " is not valid HOCON: " + e.getMessage(), e);
        }
        SortedMap<String, OptionSpec> options = new TreeMap<>();
        spec.options().stream()
                .filter(o -> !InspectArgs.key(o).equals("config"))
                .forEach(o -> options.put(InspectArgs.key(o), o));
        List<String> flags = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : config.root().entrySet()) {
            String key = entry.getKey();
            ConfigValue value = entry.getValue();
            OptionSpec option = options.get(key);
            if (option == null) {
                throw new UsageException("unknown key '" + key + "' in " + file + " (line "
                        + value.origin().lineNumber() + "); the keys are " + options.keySet());
            }
            String label = key + " in " + file;
            if (key.equals("conf")) {
                if (value.valueType() != ConfigValueType.OBJECT) {
                    throw new UsageException(label + " must be an object of KEY = VALUE settings");
                }
                for (Map.Entry<String, ConfigValue> c :
                        ((ConfigObject) value).toConfig().entrySet()) {
                    String name = String.join(".", ConfigUtil.splitPath(c.getKey()));
                    flags.add("--conf=" + name + "=" + scalar("conf." + name + " in " + file, c.getValue()));
                }
            } else if (option.arity().max() == 0) {
                if (value.valueType() != ConfigValueType.BOOLEAN) {
                    throw new UsageException(label + " must be true or false, got '" + value.unwrapped() + "'");
                }
                if ((Boolean) value.unwrapped()) {
                    flags.add("--" + key);
                }
            } else if (option.isMultiValue()) {
                boolean models = option.auxiliaryTypes()[0] == InspectArgs.ModelRef.class;
                for (ConfigValue element : value instanceof ConfigList list ? list : List.of(value)) {
                    flags.add("--" + key + "=" + (models ? model(label, element) : scalar(label, element)));
                }
            } else {
                flags.add("--" + key + "=" + scalar(label, value));
            }
        }
        return flags.toArray(String[]::new);
    }

    /** A model in a config file: a URI, or an object {@code {uri = ..., sha256 = ...}}. */
    private static String model(String label, ConfigValue value) throws UsageException {
        if (value.valueType() != ConfigValueType.OBJECT) {
            return scalar(label, value);
        }
        for (String field : ((ConfigObject) value).keySet()) {
            if (!field.equals("uri") && !field.equals("sha256")) {
                throw new UsageException(
                        "unknown key '" + field + "' in a model of " + label + "; a model has uri and sha256");
            }
        }
        Config model = ((ConfigObject) value).toConfig();
        if (!model.hasPath("uri")) {
            throw new UsageException("a model of " + label + " has no uri");
        }
        String uri = scalar(label, model.getValue("uri"));
        return model.hasPath("sha256") ? uri + InspectArgs.ModelRef.PIN + scalar(label, model.getValue("sha256")) : uri;
    }

    private static String scalar(String label, ConfigValue value) throws UsageException {
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> String.valueOf(value.unwrapped());
            default ->
                throw new UsageException(
                        label + " must be a single value, got " + value.render(ConfigRenderOptions.concise()));
        };
    }
}
