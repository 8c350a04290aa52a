// test/clients/VicJdbc.java: vic through JDBC (Debian's libpostgresql-jdbc-java, the driver of
// DBeaver, Metabase, Pentaho, Spark and most Java BI servers).  Compiled by run.sh with javac into a
// temporary directory and run with java -cp /usr/share/java/postgresql.jar:<dir>.
//
// Usage: java VicJdbc URL USER PASSWORD REFERENCE_FILE
// REFERENCE_FILE is written by clients.py: the server's text of every query of queries.tsv (the
// server is the reference).  Prints TAP lines "ok - ..." / "not ok - ..." (run.sh numbers them);
// exits 0 when every check passed.
import java.io.BufferedReader;
import java.io.FileReader;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.postgresql.PGStatement;
import org.postgresql.util.PGobject;

public class VicJdbc
{
	static int failed = 0;
	static Connection conn;
	static int pid;

	/* one TAP line, with an optional diagnostic on failure */
	static void tap(boolean ok, String desc, String diag)
	{
		System.out.println((ok ? "ok - " : "not ok - ") + desc);
		if (!ok)
		{
			failed++;
			if (diag != null)
				for (String line : diag.split("\n", 10))
					System.out.println("# " + line);
		}
		System.out.flush();
	}

	/* one query of the reference file: columns, their server type names, rows of server text */
	static class Ref
	{
		String name;
		int nrows;
		String[] columns;
		String[] types;
		List<String[]> rows = new ArrayList<>();
	}

	static List<Ref> readReference(String path) throws Exception
	{
		List<Ref> refs = new ArrayList<>();
		try (BufferedReader r = new BufferedReader(new FileReader(path, java.nio.charset.StandardCharsets.UTF_8)))
		{
			String line;
			Ref cur = null;
			while ((line = r.readLine()) != null)
			{
				String[] f = line.split("\t", -1);
				String[] rest = java.util.Arrays.copyOfRange(f, 1, f.length);
				switch (f[0])
				{
					case "Q":
						cur = new Ref();
						cur.name = f[1];
						cur.nrows = Integer.parseInt(f[2]);
						refs.add(cur);
						break;
					case "C":
						cur.columns = rest;
						break;
					case "T":
						cur.types = rest;
						break;
					case "R":
						for (int i = 0; i < rest.length; i++)
							if (rest[i].equals("\\N"))
								rest[i] = null;
						cur.rows.add(rest);
						break;
				}
			}
		}
		return refs;
	}

	/* the java.sql.Types code the driver is expected to report for a server type */
	static int expectedSqlType(String serverType)
	{
		switch (serverType)
		{
			case "bigint": return Types.BIGINT;
			case "integer": return Types.INTEGER;
			case "smallint": return Types.SMALLINT;
			case "double precision": return Types.DOUBLE;
			case "boolean": return Types.BIT;
			case "text": return Types.VARCHAR;
			default: return Types.OTHER;	/* json, jsonb, every vic type */
		}
	}

	/* compares field i of the current row with the server's text; null when equal, else why not */
	static String compareField(ResultSet rs, int i, String serverType, String ref) throws SQLException
	{
		Object o = rs.getObject(i);
		if (ref == null)
			return (o == null && rs.getString(i) == null) ? null : "expected NULL, got " + o;
		if (o == null)
			return "got NULL, expected " + ref;
		switch (serverType)
		{
			case "bigint":
			case "integer":
				if (!(o instanceof Long || o instanceof Integer) || rs.getLong(i) != Long.parseLong(ref)
					|| !rs.getString(i).equals(ref))
					return "integer " + o + " (" + o.getClass().getName() + ") <> " + ref;
				return null;
			case "double precision":
				{
					/* the server prints the shortest text that reads back exactly: the same double */
					double want = Double.parseDouble(ref);
					if (!(o instanceof Double) || Double.compare(rs.getDouble(i), want) != 0
						|| Double.compare(Double.parseDouble(rs.getString(i)), want) != 0)
						return "double " + o + " / " + rs.getString(i) + " <> " + ref;
					return null;
				}
			case "boolean":
				if (!(o instanceof Boolean) || rs.getBoolean(i) != ref.equals("t"))
					return "boolean " + o + " <> " + ref;
				return null;
			case "text":
				if (!(o instanceof String) || !rs.getString(i).equals(ref))
					return "text " + o + " <> " + ref;
				return null;
			default:
				{
					/* json, jsonb and the vic types: a PGobject holding the server's text */
					if (!(o instanceof PGobject))
						return serverType + ": getObject gave " + o.getClass().getName();
					PGobject p = (PGobject) o;
					/* outside the search path pgjdbc names the type quoted and schema-qualified */
					String want = serverType.startsWith("vic.")
						? "\"vic\".\"" + serverType.substring(4) + "\"" : serverType;
					if (!want.equals(p.getType()))
						return serverType + ": PGobject type " + p.getType();
					if (!ref.equals(p.getValue()) || !ref.equals(rs.getString(i)))
						return serverType + ": " + rs.getString(i) + " <> " + ref;
					return null;
				}
		}
	}

	/* runs a reference query through rs and compares metadata and every value */
	static String compareResult(ResultSet rs, Ref ref) throws SQLException
	{
		ResultSetMetaData md = rs.getMetaData();
		if (md.getColumnCount() != ref.columns.length)
			return "columns " + md.getColumnCount() + " <> " + ref.columns.length;
		for (int i = 1; i <= ref.columns.length; i++)
		{
			if (!md.getColumnLabel(i).equals(ref.columns[i - 1]))
				return "column " + i + " label " + md.getColumnLabel(i) + " <> " + ref.columns[i - 1];
			if (md.getColumnType(i) != expectedSqlType(ref.types[i - 1]))
				return "column " + ref.columns[i - 1] + " (" + ref.types[i - 1] + "): java.sql.Types "
					+ md.getColumnType(i) + " (" + md.getColumnTypeName(i) + "), expected "
					+ expectedSqlType(ref.types[i - 1]);
		}
		int n = 0;
		while (rs.next())
		{
			if (n >= ref.rows.size())
				return "more rows than " + ref.rows.size();
			String[] want = ref.rows.get(n);
			for (int i = 1; i <= want.length; i++)
			{
				String why = compareField(rs, i, ref.types[i - 1], want[i - 1]);
				if (why != null)
					return "row " + (n + 1) + " column " + ref.columns[i - 1] + ": " + why;
			}
			n++;
		}
		return n == ref.rows.size() ? null : "rows " + n + " <> " + ref.rows.size();
	}

	/* the backend still answers on the same connection */
	static boolean alive() throws SQLException
	{
		try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()"))
		{
			return conn.isValid(5) && rs.next() && rs.getInt(1) == pid;
		}
	}

	/* runs a one-parameter-set statement expecting an error; returns its SQLSTATE (null on success) */
	interface Binder
	{
		void bind(PreparedStatement ps) throws SQLException;
	}

	static String sqlstateOf(String sql, Binder b)
	{
		try (PreparedStatement ps = conn.prepareStatement(sql))
		{
			b.bind(ps);
			try (ResultSet rs = ps.executeQuery())
			{
				while (rs.next())
					;
			}
			return null;
		}
		catch (SQLException e)
		{
			return e.getSQLState();
		}
	}

	static String profileText(String name) throws SQLException
	{
		try (PreparedStatement ps = conn.prepareStatement("SELECT p FROM profiles WHERE name = ?"))
		{
			ps.setString(1, name);
			try (ResultSet rs = ps.executeQuery())
			{
				rs.next();
				return rs.getString(1);
			}
		}
	}

	public static void main(String[] args) throws Exception
	{
		Properties props = new Properties();
		props.setProperty("user", args[1]);
		props.setProperty("password", args[2]);
		conn = DriverManager.getConnection(args[0], props);
		conn.setAutoCommit(true);
		try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()"))
		{
			rs.next();
			pid = rs.getInt(1);
		}
		List<Ref> refs = readReference(args[3]);

		/* every base type of schema vic, with the values of its format fixtures */
		List<String> types = new ArrayList<>();
		try (Statement s = conn.createStatement();
			 ResultSet rs = s.executeQuery("SELECT n.nspname || '.' || t.typname FROM pg_type t "
										   + "JOIN pg_namespace n ON n.oid = t.typnamespace "
										   + "WHERE n.nspname = 'vic' AND t.typtype = 'b' AND t.typelem = 0 ORDER BY 1"))
		{
			while (rs.next())
				types.add(rs.getString(1));
		}
		tap(types.contains("vic.industry") && types.contains("vic.profile") && types.contains("vic.graph"),
			"JDBC sees the base types of schema vic: " + types, null);
		for (String t : types)
		{
			String sql = "SELECT txt::" + t + " AS v, (txt::" + t + ")::text AS ref FROM fixture_values "
				+ "WHERE typname = ? ORDER BY id";
			try (PreparedStatement ps = conn.prepareStatement(sql))
			{
				ps.setString(1, t);
				String why = null;
				int n = 0;
				try (ResultSet rs = ps.executeQuery())
				{
					ResultSetMetaData md = rs.getMetaData();
					String name = t.substring(4);
					if (md.getColumnType(1) != Types.OTHER || !md.getColumnTypeName(1).equals("\"vic\".\"" + name + "\""))
						why = "metadata " + md.getColumnType(1) + " " + md.getColumnTypeName(1);
					while (why == null && rs.next())
					{
						n++;
						why = compareField(rs, 1, t, rs.getString(2));
					}
				}
				tap(why == null && n > 0, t + ": ResultSetMetaData Types.OTHER, getObject a PGobject and getString "
					+ "the server's text (" + n + " fixture values)", why);
			}
			/* a PGobject parameter of the type goes back in as the same value */
			try (PreparedStatement ps = conn.prepareStatement(
					 "SELECT f.txt, ?::text FROM fixture_values f WHERE typname = ? AND id = 0"))
			{
				PGobject o = new PGobject();
				o.setType(t);
				String first = null;
				try (PreparedStatement q = conn.prepareStatement(
						 "SELECT (txt::" + t + ")::text FROM fixture_values WHERE typname = ? AND id = 0"))
				{
					q.setString(1, t);
					try (ResultSet rs = q.executeQuery())
					{
						rs.next();
						first = rs.getString(1);
					}
				}
				o.setValue(first);
				ps.setObject(1, o);
				ps.setString(2, t);
				try (ResultSet rs = ps.executeQuery())
				{
					rs.next();
					tap(first.equals(rs.getString(2)), t + ": a PGobject parameter reads back as the same text", rs.getString(2));
				}
			}
		}

		/* every reference query: plain Statement, then a server-prepared PreparedStatement (binary
		 * transfer of int8 and float8 from the first execution) run twice */
		for (Ref ref : refs)
		{
			String why;
			try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sqlOf(ref.name)))
			{
				why = compareResult(rs, ref);
			}
			tap(why == null, ref.name + ": Statement gives the server's values (" + ref.rows.size() + " rows, "
				+ String.join(", ", ref.columns) + ")", why);
			try (PreparedStatement ps = conn.prepareStatement(sqlOf(ref.name)))
			{
				ps.unwrap(PGStatement.class).setPrepareThreshold(1);
				why = null;
				for (int k = 0; k < 2 && why == null; k++)
					try (ResultSet rs = ps.executeQuery())
					{
						why = compareResult(rs, ref);
					}
			}
			tap(why == null, ref.name + ": server-prepared PreparedStatement gives the same values twice", why);
		}

		/* CallableStatement: {? = call vic.hhi(?)} and a function with OUT parameters */
		String hand0 = profileText("hand0");
		try (CallableStatement cs = conn.prepareCall("{? = call vic.hhi(?::vic.profile)}"))
		{
			cs.registerOutParameter(1, Types.DOUBLE);
			cs.setString(2, hand0);
			cs.execute();
			/* hand0 = C3841 weight 3, C3985 weight 1: (3/4)^2 + (1/4)^2 = 0.625 (hand computation) */
			double h = cs.getDouble(1);
			tap(h == 0.625, "CallableStatement {? = call vic.hhi(?)} returns 0.625 for hand0", "" + h);
		}
		Ref eg = null;
		for (Ref r : refs)
			if (r.name.equals("ellison_glaeser"))
				eg = r;
		try (CallableStatement cs = conn.prepareCall("{call vic.ellison_glaeser(?::vic.profile, ?::vic.profile, ?, ?, ?)}"))
		{
			cs.setString(1, profileText("c3841"));
			cs.setString(2, profileText("economy0"));
			for (int i = 3; i <= 5; i++)
				cs.registerOutParameter(i, Types.DOUBLE);
			cs.execute();
			boolean ok = eg != null;
			String got = "";
			for (int i = 3; ok && i <= 5; i++)
			{
				got += cs.getDouble(i) + " ";
				ok = Double.compare(cs.getDouble(i), Double.parseDouble(eg.rows.get(0)[i - 3])) == 0;
			}
			tap(ok, "CallableStatement {call vic.ellison_glaeser(?, ?, ?, ?, ?)} with 3 OUT parameters "
				+ "equals (vic.ellison_glaeser(...)).*", got);
		}

		/* NULL parameters */
		try (PreparedStatement ps = conn.prepareStatement("SELECT vic.hhi(?::vic.profile)"))
		{
			ps.setNull(1, Types.OTHER);
			try (ResultSet rs = ps.executeQuery())
			{
				rs.next();
				double v = rs.getDouble(1);
				tap(rs.wasNull() && v == 0.0, "PreparedStatement vic.hhi(NULL): SQL NULL (wasNull)", null);
			}
		}
		try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM vic.members(?::vic.profile)"))
		{
			ps.setNull(1, Types.OTHER);
			try (ResultSet rs = ps.executeQuery())
			{
				rs.next();
				tap(rs.getLong(1) == 0, "PreparedStatement vic.members(NULL): no rows", null);
			}
		}
		String st = sqlstateOf("SELECT * FROM vic.pagerank((SELECT g FROM graphs WHERE name = 'hand'), ?)",
							   ps -> ps.setNull(1, Types.DOUBLE));
		tap("22023".equals(st) && alive(), "PreparedStatement vic.pagerank(g, damping => NULL): SQLSTATE 22023, "
			+ "connection still usable", st);

		/* wrong types and bad values */
		st = sqlstateOf("SELECT vic.hhi(?)", ps -> ps.setInt(1, 42));
		tap("42883".equals(st) && alive(), "PreparedStatement vic.hhi(integer): SQLSTATE 42883, connection still usable", st);
		st = sqlstateOf("SELECT ?::vic.industry", ps -> ps.setString(1, "X99999"));
		tap("22P02".equals(st) && alive(), "PreparedStatement ?::vic.industry of 'X99999': SQLSTATE 22P02, connection still usable", st);
		st = sqlstateOf("SELECT vic.hhi(?::vic.profile, ?)", ps -> {
			ps.setString(1, hand0);
			ps.setString(2, "bogus");
		});
		tap("22023".equals(st) && alive(), "PreparedStatement vic.hhi(p, 'bogus'): SQLSTATE 22023, connection still usable", st);
		st = sqlstateOf("SELECT vic.hhi(?)", ps -> {
			PGobject o = new PGobject();
			o.setType("vic.profile");
			o.setValue("{\"members\":");
			ps.setObject(1, o);
		});
		tap("22P02".equals(st) && alive(), "PreparedStatement with a malformed vic.profile PGobject: SQLSTATE 22P02, "
			+ "connection still usable", st);
		conn.close();
		System.exit(failed == 0 ? 0 : 1);
	}

	static java.util.Map<String, String> queries;

	/* the SQL of a named query of queries.tsv (read from the system property vic.queries) */
	static String sqlOf(String name) throws Exception
	{
		if (queries == null)
		{
			queries = new java.util.HashMap<>();
			try (BufferedReader r = new BufferedReader(new FileReader(System.getProperty("vic.queries"),
																	  java.nio.charset.StandardCharsets.UTF_8)))
			{
				String line;
				while ((line = r.readLine()) != null)
					if (!line.startsWith("#") && line.contains("\t"))
						queries.put(line.substring(0, line.indexOf('\t')), line.substring(line.indexOf('\t') + 1));
			}
		}
		return queries.get(name);
	}
}
