package io.tagbridge.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The README's configuration reference against what the web console shows: every property of every Tagbridge form,
 * read from the bundles' MetaType as the console reads it, has its row in the README with the same default, and
 * the README lists no property that the form does not have.
 */
@ExtendWith({ BundleContextExtension.class, ServiceExtension.class })
class ConfigurationReferenceTest {

    private static final Pattern SECTION = Pattern.compile("^### `([a-z.]+)`.*$", Pattern.MULTILINE);
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z.]+)` \\| ([^|]*) \\|", Pattern.MULTILINE);

    @InjectBundleContext
    BundleContext context;

    @InjectService
    MetaTypeService metaType;

    @Test
    void everyFormsPropertyHasItsRowInTheReadmeWithTheSameDefault() throws IOException {
        Map<String, Map<String, String>> readme = reference();
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Bundle bundle : context.getBundles()) {
            // The example driver is a driver's example, documented with the driver API, not part of the gateway.
            if (!bundle.getSymbolicName().startsWith("io.tagbridge.") || bundle.getSymbolicName().contains("example")) {
                continue;
            }
            MetaTypeInformation info = metaType.getMetaTypeInformation(bundle);
            List<String> pids = new ArrayList<>(List.of(info.getPids()));
            pids.addAll(List.of(info.getFactoryPids()));
            for (String pid : pids) {
                Map<String, String> rows = readme.get(pid);
                if (rows == null) {
                    mismatches.add(pid + ": no section in the configuration reference");
                    continue;
                }
                ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
                List<String> ids = new ArrayList<>();
                for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                    if (ad.getID().startsWith("webconsole.")) {
                        continue; // a hint to the console, not a setting
                    }
                    ids.add(ad.getID());
                    checked++;
                    String form = ad.getDefaultValue() == null ? "" : String.join(",", ad.getDefaultValue());
                    if (!rows.containsKey(ad.getID())) {
                        mismatches.add(pid + ": " + ad.getID() + " (default '" + form + "') has no row");
                    } else if (!sameDefault(rows.get(ad.getID()), form)) {
                        mismatches.add(pid + ": " + ad.getID() + " is '" + form + "' in the form but '"
                                + rows.get(ad.getID()) + "' in the README");
                    }
                }
                rows.keySet().stream().filter(p -> !ids.contains(p) && !p.contains("."))
                        .forEach(p -> mismatches.add(pid + ": the README lists " + p + ", which the form has not"));
            }
        }
        assertThat(checked).as("properties checked").isGreaterThan(50);
        assertThat(mismatches).isEmpty();
    }

    /** The README's default cells, by PID and property. */
    private static Map<String, Map<String, String>> reference() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("tagbridge.readme")));
        String reference = readme.substring(readme.indexOf("## Configuration reference"));
        reference = reference.substring(0, reference.indexOf("\n## ", 10));
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Matcher section = SECTION.matcher(reference);
        List<int[]> bounds = new ArrayList<>();
        List<String> pids = new ArrayList<>();
        while (section.find()) {
            pids.add(section.group(1));
            bounds.add(new int[] { section.end(), 0 });
        }
        for (int i = 0; i < pids.size(); i++) {
            int end = i + 1 < bounds.size() ? reference.lastIndexOf("###", bounds.get(i + 1)[0]) : reference.length();
            Map<String, String> rows = new LinkedHashMap<>();
            boolean inTable = false;
            for (String line : reference.substring(bounds.get(i)[0], end).split("\n")) {
                if (inTable && !line.startsWith("|")) {
                    break; // only the first table: the property table; later ones explain values
                }
                inTable = line.startsWith("|");
                Matcher row = ROW.matcher(line);
                if (row.find()) {
                    rows.put(row.group(1), row.group(2).trim());
                }
            }
            sections.put(pids.get(i), rows);
        }
        return sections;
    }

    /** A README cell says the default as an operator reads it: in backticks, or "empty" (and what that means). */
    private static boolean sameDefault(String cell, String form) {
        if (cell.startsWith("empty")) {
            return form.isEmpty();
        }
        Matcher quoted = Pattern.compile("^`([^`]*)`").matcher(cell);
        String said = quoted.find() ? quoted.group(1) : cell;
        if (said.equals(form)) {
            return true;
        }
        try {
            return Double.parseDouble(said.replace(",", "")) == Double.parseDouble(form);
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }
}
