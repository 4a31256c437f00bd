package io.junction.config;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.junction.ConfigurationProblem;
import io.junction.NearestName;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.unit.DataSize;

/**
 * The keys Junction knows, read from its {@code @ConfigurationProperties} classes, to
 * refuse a key that Spring's binder would silently ignore: a typo, or a setting Junction
 * does not have.
 * <p>
 * A name is walked element by element from the class bound at the longest prefix it lies
 * under: through a JavaBean's properties, or a record's components, or the parameters of
 * a class bound through its constructor. A map takes any key, then what its values take;
 * a map of single values takes any key, dots included, as the binder does; a list takes
 * an index ({@code [0]} or {@code .0}); a single value (string, number, enum, duration,
 * data size, anything converted from a string) takes nothing below it; an {@code Object}
 * or an interface takes anything. Elements are compared as relaxed binding compares them:
 * {@code healthCheck}, {@code health-check}, {@code healthcheck} and {@code HEALTH_CHECK}
 * are one.
 * <p>
 * Immutable and safe to share; each class is read once.
 */
public final class KnownKeys {

	private static final DefaultParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

	private final Node anything = new Anything();

	private final Node singleValue = new SingleValue();

	// Where the prefixes part or the first class is bound: "junction".
	private final ConfigurationPropertyName scope;

	private final Node scopeNode;

	private final Map<Class<?>, Node> objects = new ConcurrentHashMap<>();

	private KnownKeys(Map<Class<?>, String> prefixByPropertiesClass) {
		Prefix root = new Prefix("");
		prefixByPropertiesClass.forEach((type, prefix) -> root.add(ConfigurationPropertyName.of(prefix), 0, type));
		ConfigurationPropertyName scope = ConfigurationPropertyName.EMPTY;
		Prefix node = root;
		while (node.types.isEmpty() && node.children.size() == 1) {
			node = node.children.values().iterator().next();
			scope = scope.append(node.element);
		}
		this.scope = scope;
		this.scopeNode = node;
	}

	/**
	 * The keys known under the given prefixes.
	 * @param prefixByPropertiesClass each {@code @ConfigurationProperties} class and the
	 * prefix it is bound at (for example {@code junction} or {@code junction.routing});
	 * several classes may share a prefix, each taking its own keys there
	 * @return the known keys
	 */
	public static KnownKeys of(Map<Class<?>, String> prefixByPropertiesClass) {
		Assert.notEmpty(prefixByPropertiesClass, "At least one prefix is needed");
		return new KnownKeys(prefixByPropertiesClass);
	}

	/**
	 * One problem per unknown key among the names that lie under the shortest prefix
	 * ({@code junction}); other names are left alone. The key of a problem is the name up
	 * to and including its first unknown element, so that several names below one unknown
	 * element give one problem; its reason gives the nearest known key, or what the
	 * parent takes.
	 * @param names the names of the configuration, in the order problems are wanted
	 * @return the problems, in the order of the first name that caused each
	 */
	public List<ConfigurationProblem> unknown(Iterable<ConfigurationPropertyName> names) {
		Map<ConfigurationPropertyName, ConfigurationProblem> problems = new LinkedHashMap<>();
		for (ConfigurationPropertyName name : names) {
			if (this.scope.equals(name) || this.scope.isAncestorOf(name)) {
				check(name, problems);
			}
		}
		return List.copyOf(problems.values());
	}

	private void check(ConfigurationPropertyName name, Map<ConfigurationPropertyName, ConfigurationProblem> problems) {
		Node node = this.scopeNode;
		for (int i = this.scope.getNumberOfElements(); i < name.getNumberOfElements(); i++) {
			Node next = node.child(name, i);
			if (next == null) {
				// Relaxed equality: helth-check and helthCheck are one unknown key.
				ConfigurationPropertyName key = name.chop(i + 1);
				if (!problems.containsKey(key)) {
					problems.put(key, new ConfigurationProblem(key.toString(), reason(name, i, node)));
				}
				return;
			}
			node = next;
		}
	}

	private static String reason(ConfigurationPropertyName name, int index, Node parent) {
		String parentKey = name.chop(index).toString();
		String nearest = NearestName.of(name.getElement(index, Form.DASHED), parent.known());
		if (nearest != null) {
			return "unknown key; did you mean " + (parentKey.isEmpty() ? nearest : parentKey + "." + nearest) + "?";
		}
		return "unknown key; " + parent.takes(parentKey);
	}

	private Node node(ResolvableType type) {
		Class<?> resolved = type.resolve();
		if (resolved == null || resolved == Object.class) {
			return this.anything;
		}
		if (Map.class.isAssignableFrom(resolved)) {
			return new MapOf(type.asMap().getGeneric(1));
		}
		if (Collection.class.isAssignableFrom(resolved)) {
			return new ListOf(type.asCollection().getGeneric(0));
		}
		if (resolved.isArray()) {
			return new ListOf(type.getComponentType());
		}
		if (isSingleValue(resolved)) {
			return this.singleValue;
		}
		// What cannot be read (an interface, a JDK class) may take anything.
		if (resolved.isInterface() || Modifier.isAbstract(resolved.getModifiers())
				|| resolved.getName().startsWith("java.")) {
			return this.anything;
		}
		return this.objects.computeIfAbsent(resolved, this::object);
	}

	private static boolean isSingleValue(Class<?> type) {
		return BeanUtils.isSimpleValueType(type) || TemporalAmount.class.isAssignableFrom(type)
				|| type == DataSize.class;
	}

	private Node object(Class<?> type) {
		Map<String, Property> properties;
		if (type.isRecord()) {
			properties = recordComponents(type);
		}
		else {
			Constructor<?> binding = bindingConstructor(type);
			if (binding == null) {
				properties = beanProperties(type);
			}
			else {
				String[] names = PARAMETER_NAMES.getParameterNames(binding);
				if (names == null) {
					// Compiled without -parameters: the keys cannot be known.
					return this.anything;
				}
				properties = constructorParameters(type, binding, names);
			}
		}
		// A class with nothing to bind is a value the binder converts from a string.
		if (properties.isEmpty() && isConvertedFromString(type)) {
			return this.singleValue;
		}
		return new DataObject(properties);
	}

	private static Map<String, Property> recordComponents(Class<?> type) {
		RecordComponent[] components = type.getRecordComponents();
		Class<?>[] types = new Class<?>[components.length];
		for (int i = 0; i < components.length; i++) {
			types[i] = components[i].getType();
		}
		// @Name on a component reaches the canonical constructor's parameter.
		Parameter[] parameters = canonicalConstructor(type, types).getParameters();
		Map<String, Property> properties = new LinkedHashMap<>();
		for (int i = 0; i < components.length; i++) {
			add(properties, named(parameters[i], components[i].getName()),
					ResolvableType.forMethodReturnType(components[i].getAccessor(), type));
		}
		return properties;
	}

	private static Constructor<?> canonicalConstructor(Class<?> type, Class<?>[] componentTypes) {
		try {
			return type.getDeclaredConstructor(componentTypes);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException("A record without its canonical constructor: " + type.getName(), ex);
		}
	}

	// As the binder chooses: the constructor marked @ConstructorBinding, else the only
	// constructor when it takes parameters; null for a JavaBean.
	private static @Nullable Constructor<?> bindingConstructor(Class<?> type) {
		Constructor<?>[] constructors = type.getDeclaredConstructors();
		for (Constructor<?> constructor : constructors) {
			if (constructor.isAnnotationPresent(ConstructorBinding.class)) {
				return constructor;
			}
		}
		return (constructors.length == 1 && constructors[0].getParameterCount() > 0) ? constructors[0] : null;
	}

	private static Map<String, Property> constructorParameters(Class<?> type, Constructor<?> binding, String[] names) {
		Parameter[] parameters = binding.getParameters();
		Map<String, Property> properties = new LinkedHashMap<>();
		for (int i = 0; i < parameters.length; i++) {
			add(properties, named(parameters[i], names[i]), ResolvableType.forConstructorParameter(binding, i, type));
		}
		return properties;
	}

	private static Map<String, Property> beanProperties(Class<?> type) {
		Map<String, Property> properties = new LinkedHashMap<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			Method read = descriptor.getReadMethod();
			Method write = descriptor.getWriteMethod();
			if (descriptor.getName().equals("class") || (read == null && write == null)) {
				continue;
			}
			ResolvableType propertyType = (write != null) ? ResolvableType.forMethodParameter(write, 0, type)
					: ResolvableType.forMethodReturnType(read, type);
			// Without a setter, only a value the binder can fill through the getter.
			Class<?> resolved = propertyType.resolve();
			if (write == null && resolved != null && isSingleValue(resolved)) {
				continue;
			}
			Field field = ReflectionUtils.findField(type, descriptor.getName());
			Name name = (field != null) ? field.getAnnotation(Name.class) : null;
			add(properties, (name != null) ? name.value() : descriptor.getName(), propertyType);
		}
		return properties;
	}

	private static String named(Parameter parameter, String name) {
		Name annotation = parameter.getAnnotation(Name.class);
		return (annotation != null) ? annotation.value() : name;
	}

	private static void add(Map<String, Property> properties, String name, ResolvableType type) {
		properties.put(uniform(name), new Property(dashed(name), type));
	}

	private static boolean isConvertedFromString(Class<?> type) {
		try {
			type.getConstructor(String.class);
			return true;
		}
		catch (NoSuchMethodException ex) {
			return hasFactory(type, "valueOf") || hasFactory(type, "of") || hasFactory(type, "from");
		}
	}

	private static boolean hasFactory(Class<?> type, String name) {
		for (Class<?> parameter : new Class<?>[] { String.class, CharSequence.class }) {
			try {
				Method factory = type.getMethod(name, parameter);
				if (Modifier.isStatic(factory.getModifiers()) && type.isAssignableFrom(factory.getReturnType())) {
					return true;
				}
			}
			catch (NoSuchMethodException ex) {
				// try the next
			}
		}
		return false;
	}

	// As ConfigurationPropertyName's uniform form: lower case letters and digits only.
	private static String uniform(String name) {
		StringBuilder uniform = new StringBuilder(name.length());
		for (char c : name.toCharArray()) {
			if (Character.isLetterOrDigit(c)) {
				uniform.append(Character.toLowerCase(c));
			}
		}
		return uniform.toString();
	}

	// healthCheck -> health-check, but URL -> url rather than u-r-l.
	private static String dashed(String name) {
		StringBuilder dashed = new StringBuilder(name.length() + 4);
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (Character.isUpperCase(c) && i > 0
					&& (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1)))) {
				dashed.append('-');
			}
			dashed.append(c);
		}
		return dashed.toString().toLowerCase(Locale.ROOT);
	}

	private static boolean isIndex(ConfigurationPropertyName name, int index) {
		if (name.isNumericIndex(index)) {
			return true;
		}
		// The binder takes servers.0.url as servers[0].url.
		String element = name.getElement(index, Form.ORIGINAL);
		return !element.isEmpty() && element.chars().allMatch(Character::isDigit);
	}

	private record Property(String dashed, ResolvableType type) {
	}

	/** What may follow one element of a name. */
	private interface Node {

		/** Where the element at {@code index} of {@code name} leads, null if unknown. */
		@Nullable Node child(ConfigurationPropertyName name, int index);

		/** The elements known here, dashed, to find the nearest to an unknown one. */
		default Collection<String> known() {
			return List.of();
		}

		/** What this node takes, to say why an element below {@code key} is unknown. */
		default String takes(String key) {
			List<String> known = known().stream().sorted().distinct().toList();
			return known.isEmpty() ? key + " takes no keys" : key + " takes: " + String.join(", ", known);
		}

	}

	/** A prefix, with the class bound there if any, and the longer prefixes below it. */
	private final class Prefix implements Node {

		private final String element;

		private final Map<String, Prefix> children = new LinkedHashMap<>();

		// The classes bound here: junction has the pools' and the PROXY protocol's.
		private final List<Class<?>> types = new ArrayList<>();

		Prefix(String element) {
			this.element = element;
		}

		void add(ConfigurationPropertyName prefix, int index, Class<?> type) {
			if (index == prefix.getNumberOfElements()) {
				this.types.add(type);
				return;
			}
			this.children
				.computeIfAbsent(prefix.getElement(index, Form.UNIFORM),
						(uniform) -> new Prefix(prefix.getElement(index, Form.DASHED)))
				.add(prefix, index + 1, type);
		}

		@Override
		public @Nullable Node child(ConfigurationPropertyName name, int index) {
			// The longest prefix wins: junction.routing is RoutingProperties' alone.
			Prefix longer = this.children.get(name.getElement(index, Form.UNIFORM));
			if (longer != null) {
				return longer;
			}
			for (Class<?> type : this.types) {
				Node child = bound(type).child(name, index);
				if (child != null) {
					return child;
				}
			}
			return null;
		}

		@Override
		public Collection<String> known() {
			List<String> known = new ArrayList<>(
					this.children.values().stream().map((child) -> child.element).toList());
			for (Class<?> type : this.types) {
				known.addAll(bound(type).known());
			}
			return known;
		}

		private Node bound(Class<?> type) {
			return node(ResolvableType.forClass(type));
		}

	}

	/** A class's properties by uniform name. */
	private final class DataObject implements Node {

		private final Map<String, Property> properties;

		DataObject(Map<String, Property> properties) {
			this.properties = properties;
		}

		@Override
		public @Nullable Node child(ConfigurationPropertyName name, int index) {
			Property property = this.properties.get(name.getElement(index, Form.UNIFORM));
			return (property != null) ? node(property.type()) : null;
		}

		@Override
		public Collection<String> known() {
			return this.properties.values().stream().map(Property::dashed).collect(Collectors.toList());
		}

	}

	/** A map: any key, then what its values take. */
	private final class MapOf implements Node {

		private final ResolvableType valueType;

		MapOf(ResolvableType valueType) {
			this.valueType = valueType;
		}

		@Override
		public Node child(ConfigurationPropertyName name, int index) {
			Node value = node(this.valueType);
			// The binder takes the rest of the name as the key of a single value: a.b=x
			// is the key "a.b".
			return (value == KnownKeys.this.singleValue) ? KnownKeys.this.anything : value;
		}

	}

	/** A list or an array: an index, then what its elements take. */
	private final class ListOf implements Node {

		private final ResolvableType elementType;

		ListOf(ResolvableType elementType) {
			this.elementType = elementType;
		}

		@Override
		public @Nullable Node child(ConfigurationPropertyName name, int index) {
			return isIndex(name, index) ? node(this.elementType) : null;
		}

		@Override
		public String takes(String key) {
			return key + " is a list: it takes an index, " + key + "[0]";
		}

	}

	/** A value converted from a string: nothing below it. */
	private static final class SingleValue implements Node {

		@Override
		public @Nullable Node child(ConfigurationPropertyName name, int index) {
			return null;
		}

		@Override
		public String takes(String key) {
			return key + " is a single value, with no keys below it";
		}

	}

	/** An Object, an interface, a class that cannot be read: anything below it. */
	private static final class Anything implements Node {

		@Override
		public Node child(ConfigurationPropertyName name, int index) {
			return this;
		}

	}

}
