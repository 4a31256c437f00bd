package io.junction.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.junction.pools.PoolsProperties;
import io.junction.routing.RouteChecks;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.config.ConfigDataEnvironmentUpdateListener;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataResource;
import org.springframework.boot.context.config.StandardConfigDataResource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The configuration as it is on disk now: Junction's environment read again, with every
 * source that start-up had (command line, system properties, environment variables) and
 * the configuration files of {@code spring.config.location} and
 * {@code spring.config.additional-location} parsed afresh, as Spring Boot parses them at
 * start-up.
 */
final class ConfigFiles {

	// The prefix Spring Boot gives the property source of each configuration file.
	private static final String CONFIG_SOURCE_PREFIX = "Config resource ";

	// What a reload applies; any other key takes effect at the next start.
	private static final List<String> RELOADED = List.of(PoolsProperties.PREFIX + ".backends", RouteChecks.ROUTES);

	private ConfigFiles() {
	}

	/**
	 * Reads the configuration again.
	 * @param running the environment Junction started with
	 * @param resources how locations are resolved
	 * @return the configuration and the files it came from
	 * @throws RuntimeException when a file cannot be read or parsed
	 */
	static Read read(ConfigurableEnvironment running, ResourceLoader resources) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().forEach((source) -> environment.getPropertySources().remove(source.getName()));
		for (PropertySource<?> source : running.getPropertySources()) {
			if (!source.getName().startsWith(CONFIG_SOURCE_PREFIX)
					&& !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
				environment.getPropertySources().addLast(source);
			}
		}
		List<Path> files = new ArrayList<>();
		ConfigDataEnvironmentPostProcessor.applyTo(environment, resources, null, List.of(),
				new ConfigDataEnvironmentUpdateListener() {
					@Override
					public void onPropertySourceAdded(PropertySource<?> source, ConfigDataLocation location,
							ConfigDataResource resource) {
						Path file = file(resource);
						if (file != null && !files.contains(file)) {
							files.add(file);
						}
					}
				});
		return new Read(environment, List.copyOf(files));
	}

	// A file on disk, not one in the jar, which cannot change.
	private static @Nullable Path file(ConfigDataResource resource) {
		return (resource instanceof StandardConfigDataResource standard) ? file(standard.getResource()) : null;
	}

	private static @Nullable Path file(Resource resource) {
		if (resource.isFile()) {
			try {
				return resource.getFile().toPath().toAbsolutePath();
			}
			catch (IOException ex) {
				return null;
			}
		}
		return null;
	}

	/**
	 * The keys whose values differ between the two environments, other than routes and
	 * pools: they take effect only at the next start.
	 */
	static List<String> changedKeysNeedingRestart(ConfigurableEnvironment running, ConfigurableEnvironment fresh) {
		Set<String> names = new TreeSet<>();
		names.addAll(names(running));
		names.addAll(names(fresh));
		List<String> changed = new ArrayList<>();
		for (String name : names) {
			if (!RELOADED.stream().anyMatch(name::startsWith)
					&& !Objects.equals(running.getProperty(name), fresh.getProperty(name))) {
				changed.add(name);
			}
		}
		return changed;
	}

	// The names written in configuration files, the only sources that can change.
	private static Set<String> names(ConfigurableEnvironment environment) {
		Set<String> names = new TreeSet<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (source.getName().startsWith(CONFIG_SOURCE_PREFIX)
					&& source instanceof EnumerablePropertySource<?> enumerable) {
				names.addAll(Arrays.asList(enumerable.getPropertyNames()));
			}
		}
		return names;
	}

	/**
	 * The files on disk that {@code environment} was read from, found through the origins
	 * of their properties, without reading them again.
	 */
	static List<Path> filesOf(ConfigurableEnvironment environment) {
		List<Path> files = new ArrayList<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (source.getName().startsWith(CONFIG_SOURCE_PREFIX) && source instanceof EnumerablePropertySource<?> named
					&& source instanceof OriginLookup<?> && named.getPropertyNames().length > 0) {
				@SuppressWarnings("unchecked")
				Origin origin = ((OriginLookup<String>) source).getOrigin(named.getPropertyNames()[0]);
				while (origin != null && !(origin instanceof TextResourceOrigin)) {
					origin = origin.getParent();
				}
				if (origin instanceof TextResourceOrigin text && text.getResource() != null) {
					Path file = file(text.getResource());
					if (file != null && !files.contains(file)) {
						files.add(file);
					}
				}
			}
		}
		return List.copyOf(files);
	}

	/** The first of {@code files} that Spring Boot cannot parse, or null. */
	static @Nullable Path unparsable(List<Path> files) {
		List<PropertySourceLoader> loaders = List.of(new PropertiesPropertySourceLoader(),
				new YamlPropertySourceLoader());
		for (Path file : files) {
			for (PropertySourceLoader loader : loaders) {
				if (Arrays.stream(loader.getFileExtensions())
					.anyMatch((extension) -> file.toString().endsWith("." + extension))) {
					try {
						loader.load(file.toString(), new FileSystemResource(file));
					}
					catch (IOException | RuntimeException ex) {
						return file;
					}
				}
			}
		}
		return null;
	}

	/**
	 * The version of {@code files} as they are now: a short SHA-256 of their names and
	 * contents, the same for the same files whatever their times. A missing file counts
	 * as empty.
	 */
	static String version(List<Path> files) {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		// In name order: the same files give the same version whatever order they were
		// found in.
		for (Path file : new TreeSet<>(files)) {
			digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			try {
				digest.update(Files.readAllBytes(file));
			}
			catch (NoSuchFileException ex) {
				// Between an editor's delete and its write: the next look sees the file.
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			digest.update((byte) 0);
		}
		return HexFormat.of().formatHex(digest.digest(), 0, 6);
	}

	/**
	 * The configuration read again.
	 *
	 * @param environment every property source, the files' as they are now
	 * @param files the configuration files on disk that were read, in order
	 */
	record Read(ConfigurableEnvironment environment, List<Path> files) {
	}

}
